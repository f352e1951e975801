CREATE TABLE "case_access_grants" (
	"id" uuid PRIMARY KEY NOT NULL,
	"district_id" uuid NOT NULL,
	"case_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"reason" text NOT NULL,
	"granted_at" timestamp (3) with time zone NOT NULL,
	"expires_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "case_access_grants" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "case_events" (
	"id" uuid PRIMARY KEY NOT NULL,
	"district_id" uuid NOT NULL,
	"case_id" uuid NOT NULL,
	"at" timestamp (3) with time zone NOT NULL,
	"actor_user_id" uuid,
	"actor_label" text NOT NULL,
	"kind" text NOT NULL,
	"summary" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "case_events" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "case_records" (
	"id" uuid PRIMARY KEY NOT NULL,
	"district_id" uuid NOT NULL,
	"case_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"version" integer NOT NULL,
	"content" jsonb NOT NULL,
	"created_by" uuid,
	"created_by_label" text NOT NULL,
	"created_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "case_records" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "case_reports" (
	"district_id" uuid NOT NULL,
	"case_id" uuid NOT NULL,
	"report_id" uuid NOT NULL,
	CONSTRAINT "case_reports_case_id_report_id_pk" PRIMARY KEY("case_id","report_id")
);
--> statement-breakpoint
ALTER TABLE "case_reports" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "case_students" (
	"district_id" uuid NOT NULL,
	"case_id" uuid NOT NULL,
	"student_id" uuid NOT NULL,
	CONSTRAINT "case_students_case_id_student_id_pk" PRIMARY KEY("case_id","student_id")
);
--> statement-breakpoint
ALTER TABLE "case_students" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "case_tasks" (
	"id" uuid PRIMARY KEY NOT NULL,
	"district_id" uuid NOT NULL,
	"case_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"owner_user_id" uuid,
	"due_at" timestamp (3) with time zone NOT NULL,
	"hard_deadline_at" timestamp (3) with time zone,
	"done_at" timestamp (3) with time zone,
	"done_by" uuid,
	"note" text,
	"reminded_at" timestamp (3) with time zone,
	"escalated_at" timestamp (3) with time zone
);
--> statement-breakpoint
ALTER TABLE "case_tasks" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "cases" (
	"id" uuid PRIMARY KEY NOT NULL,
	"district_id" uuid NOT NULL,
	"school_id" uuid,
	"type" text NOT NULL,
	"status" text NOT NULL,
	"summary" text NOT NULL,
	"assigned_user_ids" uuid[] DEFAULT '{}' NOT NULL,
	"opened_by" uuid,
	"opened_at" timestamp (3) with time zone NOT NULL,
	"closed_at" timestamp (3) with time zone
);
--> statement-breakpoint
ALTER TABLE "cases" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "case_access_grants" ADD CONSTRAINT "case_access_grants_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_access_grants" ADD CONSTRAINT "case_access_grants_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_access_grants" ADD CONSTRAINT "case_access_grants_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_events" ADD CONSTRAINT "case_events_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_events" ADD CONSTRAINT "case_events_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_events" ADD CONSTRAINT "case_events_actor_user_id_users_id_fk" FOREIGN KEY ("actor_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_records" ADD CONSTRAINT "case_records_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_records" ADD CONSTRAINT "case_records_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_records" ADD CONSTRAINT "case_records_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_reports" ADD CONSTRAINT "case_reports_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_reports" ADD CONSTRAINT "case_reports_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_reports" ADD CONSTRAINT "case_reports_report_id_reports_id_fk" FOREIGN KEY ("report_id") REFERENCES "public"."reports"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_students" ADD CONSTRAINT "case_students_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_students" ADD CONSTRAINT "case_students_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_students" ADD CONSTRAINT "case_students_student_id_students_id_fk" FOREIGN KEY ("student_id") REFERENCES "public"."students"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_tasks" ADD CONSTRAINT "case_tasks_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_tasks" ADD CONSTRAINT "case_tasks_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_tasks" ADD CONSTRAINT "case_tasks_owner_user_id_users_id_fk" FOREIGN KEY ("owner_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_tasks" ADD CONSTRAINT "case_tasks_done_by_users_id_fk" FOREIGN KEY ("done_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_opened_by_users_id_fk" FOREIGN KEY ("opened_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "case_access_grants_case_user" ON "case_access_grants" USING btree ("case_id","user_id");--> statement-breakpoint
CREATE INDEX "case_events_case" ON "case_events" USING btree ("case_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "case_records_version" ON "case_records" USING btree ("case_id","kind","version");--> statement-breakpoint
CREATE INDEX "case_reports_report" ON "case_reports" USING btree ("report_id");--> statement-breakpoint
CREATE INDEX "case_students_student" ON "case_students" USING btree ("student_id");--> statement-breakpoint
CREATE INDEX "case_tasks_case" ON "case_tasks" USING btree ("case_id","due_at");--> statement-breakpoint
CREATE INDEX "case_tasks_open_due" ON "case_tasks" USING btree ("due_at") WHERE done_at is null;--> statement-breakpoint
CREATE INDEX "cases_district_status" ON "cases" USING btree ("district_id","status","opened_at");--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "case_access_grants" AS PERMISSIVE FOR ALL TO public USING (district_id = (select nullif(current_setting('haven.district_id', true), '')::uuid)) WITH CHECK (district_id = (select nullif(current_setting('haven.district_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "case_events" AS PERMISSIVE FOR ALL TO public USING (district_id = (select nullif(current_setting('haven.district_id', true), '')::uuid)) WITH CHECK (district_id = (select nullif(current_setting('haven.district_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "case_records" AS PERMISSIVE FOR ALL TO public USING (district_id = (select nullif(current_setting('haven.district_id', true), '')::uuid)) WITH CHECK (district_id = (select nullif(current_setting('haven.district_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "case_reports" AS PERMISSIVE FOR ALL TO public USING (district_id = (select nullif(current_setting('haven.district_id', true), '')::uuid)) WITH CHECK (district_id = (select nullif(current_setting('haven.district_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "case_students" AS PERMISSIVE FOR ALL TO public USING (district_id = (select nullif(current_setting('haven.district_id', true), '')::uuid)) WITH CHECK (district_id = (select nullif(current_setting('haven.district_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "case_tasks" AS PERMISSIVE FOR ALL TO public USING (district_id = (select nullif(current_setting('haven.district_id', true), '')::uuid)) WITH CHECK (district_id = (select nullif(current_setting('haven.district_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "cases" AS PERMISSIVE FOR ALL TO public USING (district_id = (select nullif(current_setting('haven.district_id', true), '')::uuid)) WITH CHECK (district_id = (select nullif(current_setting('haven.district_id', true), '')::uuid));