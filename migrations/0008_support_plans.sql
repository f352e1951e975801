CREATE TABLE "intervention_library" (
	"id" uuid PRIMARY KEY NOT NULL,
	"district_id" uuid NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "intervention_library" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "plan_events" (
	"id" uuid PRIMARY KEY NOT NULL,
	"district_id" uuid NOT NULL,
	"plan_id" uuid NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"actor_label" text NOT NULL,
	"kind" text NOT NULL,
	"decision" text,
	"summary" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "plan_events" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "plan_progress" (
	"id" uuid PRIMARY KEY NOT NULL,
	"district_id" uuid NOT NULL,
	"plan_id" uuid NOT NULL,
	"goal_id" text NOT NULL,
	"measured_on" date NOT NULL,
	"value" double precision NOT NULL,
	"note" text,
	"recorded_by" uuid
);
--> statement-breakpoint
ALTER TABLE "plan_progress" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "student_contacts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"district_id" uuid NOT NULL,
	"student_id" uuid NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"by_user_id" uuid,
	"note" text
);
--> statement-breakpoint
ALTER TABLE "student_contacts" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "support_plans" (
	"id" uuid PRIMARY KEY NOT NULL,
	"district_id" uuid NOT NULL,
	"student_id" uuid NOT NULL,
	"school_id" uuid NOT NULL,
	"tier" integer NOT NULL,
	"concern" text NOT NULL,
	"goals" jsonb NOT NULL,
	"interventions" jsonb NOT NULL,
	"responsible_user_id" uuid NOT NULL,
	"teacher_asks" text,
	"start_date" date NOT NULL,
	"review_every_days" integer NOT NULL,
	"next_review_on" date NOT NULL,
	"review_reminded_on" date,
	"status" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"closed_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "support_plans" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "districts" ADD COLUMN "support_contact_days" integer DEFAULT 10 NOT NULL;--> statement-breakpoint
ALTER TABLE "intervention_library" ADD CONSTRAINT "intervention_library_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_events" ADD CONSTRAINT "plan_events_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_events" ADD CONSTRAINT "plan_events_plan_id_support_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."support_plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_progress" ADD CONSTRAINT "plan_progress_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_progress" ADD CONSTRAINT "plan_progress_plan_id_support_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."support_plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_progress" ADD CONSTRAINT "plan_progress_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "student_contacts" ADD CONSTRAINT "student_contacts_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "student_contacts" ADD CONSTRAINT "student_contacts_student_id_students_id_fk" FOREIGN KEY ("student_id") REFERENCES "public"."students"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "student_contacts" ADD CONSTRAINT "student_contacts_by_user_id_users_id_fk" FOREIGN KEY ("by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "support_plans" ADD CONSTRAINT "support_plans_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "support_plans" ADD CONSTRAINT "support_plans_student_id_students_id_fk" FOREIGN KEY ("student_id") REFERENCES "public"."students"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "support_plans" ADD CONSTRAINT "support_plans_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "support_plans" ADD CONSTRAINT "support_plans_responsible_user_id_users_id_fk" FOREIGN KEY ("responsible_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "intervention_library_code" ON "intervention_library" USING btree ("district_id","code");--> statement-breakpoint
CREATE INDEX "plan_events_plan" ON "plan_events" USING btree ("plan_id","at");--> statement-breakpoint
CREATE INDEX "plan_progress_plan" ON "plan_progress" USING btree ("plan_id","measured_on");--> statement-breakpoint
CREATE INDEX "student_contacts_student" ON "student_contacts" USING btree ("student_id","at");--> statement-breakpoint
CREATE INDEX "support_plans_student" ON "support_plans" USING btree ("student_id");--> statement-breakpoint
CREATE INDEX "support_plans_responsible" ON "support_plans" USING btree ("responsible_user_id","status");--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "intervention_library" AS PERMISSIVE FOR ALL TO public USING (district_id = (select nullif(current_setting('haven.district_id', true), '')::uuid)) WITH CHECK (district_id = (select nullif(current_setting('haven.district_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "plan_events" AS PERMISSIVE FOR ALL TO public USING (district_id = (select nullif(current_setting('haven.district_id', true), '')::uuid)) WITH CHECK (district_id = (select nullif(current_setting('haven.district_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "plan_progress" AS PERMISSIVE FOR ALL TO public USING (district_id = (select nullif(current_setting('haven.district_id', true), '')::uuid)) WITH CHECK (district_id = (select nullif(current_setting('haven.district_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "student_contacts" AS PERMISSIVE FOR ALL TO public USING (district_id = (select nullif(current_setting('haven.district_id', true), '')::uuid)) WITH CHECK (district_id = (select nullif(current_setting('haven.district_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "support_plans" AS PERMISSIVE FOR ALL TO public USING (district_id = (select nullif(current_setting('haven.district_id', true), '')::uuid)) WITH CHECK (district_id = (select nullif(current_setting('haven.district_id', true), '')::uuid));