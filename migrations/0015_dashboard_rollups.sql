CREATE TABLE "dashboard_rollups" (
	"district_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"computed_at" timestamp with time zone NOT NULL,
	"payload" jsonb NOT NULL,
	CONSTRAINT "dashboard_rollups_district_id_kind_pk" PRIMARY KEY("district_id","kind")
);
--> statement-breakpoint
ALTER TABLE "dashboard_rollups" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "dashboard_rollups" ADD CONSTRAINT "dashboard_rollups_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "screening_results_waiting" ON "screening_results" USING btree ("school_id","student_id") WHERE follow_up_due_on is not null and followed_up_at is null;--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "dashboard_rollups" AS PERMISSIVE FOR ALL TO public USING (district_id = (select nullif(current_setting('haven.district_id', true), '')::uuid)) WITH CHECK (district_id = (select nullif(current_setting('haven.district_id', true), '')::uuid));