CREATE TABLE "equity_changes" (
	"district_id" uuid NOT NULL,
	"slice" smallint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "equity_changes" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "equity_tallies" (
	"district_id" uuid NOT NULL,
	"slice" smallint NOT NULL,
	"computed_at" timestamp with time zone NOT NULL,
	"payload" jsonb NOT NULL,
	CONSTRAINT "equity_tallies_district_id_slice_pk" PRIMARY KEY("district_id","slice")
);
--> statement-breakpoint
ALTER TABLE "equity_tallies" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "students" ADD COLUMN "equity_slice" smallint GENERATED ALWAYS AS (get_byte(uuid_send(id), 15)) STORED;--> statement-breakpoint
ALTER TABLE "equity_changes" ADD CONSTRAINT "equity_changes_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "equity_tallies" ADD CONSTRAINT "equity_tallies_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "equity_changes_district" ON "equity_changes" USING btree ("district_id");--> statement-breakpoint
CREATE INDEX "students_equity_slice" ON "students" USING btree ("district_id","equity_slice") WHERE active;--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "equity_changes" AS PERMISSIVE FOR ALL TO public USING (district_id = (select nullif(current_setting('haven.district_id', true), '')::uuid)) WITH CHECK (district_id = (select nullif(current_setting('haven.district_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "mark_any_district" ON "equity_changes" AS PERMISSIVE FOR INSERT TO public WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "equity_tallies" AS PERMISSIVE FOR ALL TO public USING (district_id = (select nullif(current_setting('haven.district_id', true), '')::uuid)) WITH CHECK (district_id = (select nullif(current_setting('haven.district_id', true), '')::uuid));--> statement-breakpoint
-- Issue 20, decision 43: the equity rollup recounts only the slices of students that changed.
ALTER TABLE equity_changes FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE equity_tallies FORCE ROW LEVEL SECURITY;--> statement-breakpoint
-- Marks the slices of the students a statement touched (argument 1: the column naming the student),
-- or every slice of the district ('*'), for changes that move every student's figures (a
-- screening window's schools and dates, a service's languages). Argument 2, optional: the columns
-- whose change matters on UPDATE; other updates mark nothing. One set-based insert per statement,
-- so a 25,000-row import batch costs one small aggregate, not 25,000 inserts.
CREATE FUNCTION haven_equity_mark() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  watched text := TG_ARGV[1];
  touched text;
  changed text;
BEGIN
  IF TG_OP = 'INSERT' THEN
    touched := 'select * from new_rows';
  ELSIF TG_OP = 'DELETE' THEN
    touched := 'select * from old_rows';
  ELSIF watched IS NOT NULL THEN
    changed := format('row(%s) is distinct from row(%s)',
      (select string_agg('n.' || quote_ident(c), ', ') from unnest(string_to_array(watched, ',')) c),
      (select string_agg('o.' || quote_ident(c), ', ') from unnest(string_to_array(watched, ',')) c));
    -- Both sides: a report moved from one student to another changes both students' figures.
    touched := format('select n.* from new_rows n join old_rows o on o.id = n.id where %1$s
      union all select o.* from new_rows n join old_rows o on o.id = n.id where %1$s', changed);
  ELSE
    touched := 'select * from new_rows union all select * from old_rows';
  END IF;
  IF TG_ARGV[0] = '*' THEN
    EXECUTE format('insert into equity_changes (district_id, slice) select d.district_id, s from (select distinct district_id from (%s) t) d, generate_series(0, 255) s', touched);
  ELSE
    EXECUTE format('insert into equity_changes (district_id, slice) select distinct district_id, get_byte(uuid_send(%1$I), 15) from (%2$s) t where %1$I is not null', TG_ARGV[0], touched);
  END IF;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER students_equity_insert AFTER INSERT ON students REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION haven_equity_mark('id');--> statement-breakpoint
CREATE TRIGGER students_equity_update AFTER UPDATE ON students REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION haven_equity_mark('id');--> statement-breakpoint
CREATE TRIGGER students_equity_delete AFTER DELETE ON students REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION haven_equity_mark('id');--> statement-breakpoint
CREATE TRIGGER screening_results_equity_insert AFTER INSERT ON screening_results REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION haven_equity_mark('student_id');--> statement-breakpoint
CREATE TRIGGER screening_results_equity_update AFTER UPDATE ON screening_results REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION haven_equity_mark('student_id');--> statement-breakpoint
CREATE TRIGGER screening_results_equity_delete AFTER DELETE ON screening_results REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION haven_equity_mark('student_id');--> statement-breakpoint
CREATE TRIGGER case_students_equity_insert AFTER INSERT ON case_students REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION haven_equity_mark('student_id');--> statement-breakpoint
CREATE TRIGGER case_students_equity_delete AFTER DELETE ON case_students REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION haven_equity_mark('student_id');--> statement-breakpoint
CREATE TRIGGER reports_equity_insert AFTER INSERT ON reports REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION haven_equity_mark('student_id');--> statement-breakpoint
CREATE TRIGGER reports_equity_update AFTER UPDATE ON reports REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION haven_equity_mark('student_id', 'student_id');--> statement-breakpoint
CREATE TRIGGER referrals_equity_insert AFTER INSERT ON referrals REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION haven_equity_mark('student_id');--> statement-breakpoint
CREATE TRIGGER referrals_equity_update AFTER UPDATE ON referrals REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION haven_equity_mark('student_id', 'student_id,service_id,requested_at,first_seen_at');--> statement-breakpoint
CREATE TRIGGER referrals_equity_delete AFTER DELETE ON referrals REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION haven_equity_mark('student_id');--> statement-breakpoint
CREATE TRIGGER support_plans_equity_insert AFTER INSERT ON support_plans REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION haven_equity_mark('student_id');--> statement-breakpoint
CREATE TRIGGER support_plans_equity_delete AFTER DELETE ON support_plans REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION haven_equity_mark('student_id');--> statement-breakpoint
CREATE TRIGGER screening_windows_equity_insert AFTER INSERT ON screening_windows REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION haven_equity_mark('*');--> statement-breakpoint
CREATE TRIGGER screening_windows_equity_update AFTER UPDATE ON screening_windows REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION haven_equity_mark('*', 'school_ids,grades,opens_on,closes_on');--> statement-breakpoint
CREATE TRIGGER screening_windows_equity_delete AFTER DELETE ON screening_windows REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION haven_equity_mark('*');--> statement-breakpoint
CREATE TRIGGER partner_services_equity_update AFTER UPDATE ON partner_services REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION haven_equity_mark('*', 'languages');
