CREATE TABLE "instrument_definitions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"district_id" uuid NOT NULL,
	"instrument_id" text NOT NULL,
	"version" text NOT NULL,
	"definition" jsonb NOT NULL,
	"content_hash" text NOT NULL,
	"imported_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "instrument_definitions" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "screening_consents" (
	"id" uuid PRIMARY KEY NOT NULL,
	"district_id" uuid NOT NULL,
	"student_id" uuid NOT NULL,
	"guardian_id" uuid,
	"kind" text NOT NULL,
	"source" text NOT NULL,
	"note" text,
	"recorded_by" uuid,
	"recorded_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "screening_consents" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "screening_notices" (
	"id" uuid PRIMARY KEY NOT NULL,
	"district_id" uuid NOT NULL,
	"window_id" uuid NOT NULL,
	"student_id" uuid NOT NULL,
	"guardian_id" uuid,
	"channel" text NOT NULL,
	"language" text NOT NULL,
	"sent_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "screening_notices" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "screening_results" (
	"id" uuid PRIMARY KEY NOT NULL,
	"district_id" uuid NOT NULL,
	"student_id" uuid NOT NULL,
	"school_id" uuid NOT NULL,
	"window_id" uuid,
	"session_id" uuid,
	"instrument_id" text NOT NULL,
	"instrument_version" text NOT NULL,
	"source" text NOT NULL,
	"answers" jsonb NOT NULL,
	"context" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"score" double precision,
	"band" text,
	"subscales" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"flags" text[] NOT NULL,
	"actions" text[] NOT NULL,
	"prorated" boolean NOT NULL,
	"valid" boolean NOT NULL,
	"emergency" boolean DEFAULT false NOT NULL,
	"administered_at" timestamp with time zone NOT NULL,
	"recorded_by" uuid,
	"alert_report_id" uuid,
	"follow_up_due_on" date,
	"followed_up_at" timestamp with time zone,
	"followed_up_by" uuid,
	"follow_up_note" text,
	"import_id" uuid
);
--> statement-breakpoint
ALTER TABLE "screening_results" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "screening_sessions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"district_id" uuid NOT NULL,
	"window_id" uuid NOT NULL,
	"student_id" uuid NOT NULL,
	"school_id" uuid NOT NULL,
	"status" text NOT NULL,
	"instrument_ids" text[] DEFAULT '{}' NOT NULL,
	"code_hash" text,
	"code_expires_at" timestamp with time zone,
	"answers" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"language" text DEFAULT 'en' NOT NULL,
	"alert_report_id" uuid,
	"alert_urgency" text,
	"issued_by" uuid,
	"issued_at" timestamp with time zone NOT NULL,
	"started_at" timestamp with time zone,
	"completed_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "screening_sessions" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "screening_windows" (
	"id" uuid PRIMARY KEY NOT NULL,
	"district_id" uuid NOT NULL,
	"name" text NOT NULL,
	"school_ids" uuid[] NOT NULL,
	"grades" text[] NOT NULL,
	"instrument_ids" text[] NOT NULL,
	"opens_on" date NOT NULL,
	"closes_on" date NOT NULL,
	"proctor_user_ids" uuid[] DEFAULT '{}' NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "screening_windows" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "reports" ADD COLUMN "student_id" uuid;--> statement-breakpoint
ALTER TABLE "districts" ADD COLUMN "screening_consent" text DEFAULT 'passive' NOT NULL;--> statement-breakpoint
ALTER TABLE "districts" ADD COLUMN "screening_self_consent_age" integer DEFAULT 12 NOT NULL;--> statement-breakpoint
ALTER TABLE "districts" ADD COLUMN "screening_notice_days" integer DEFAULT 14 NOT NULL;--> statement-breakpoint
ALTER TABLE "districts" ADD COLUMN "screening_follow_up_days" integer DEFAULT 5 NOT NULL;--> statement-breakpoint
ALTER TABLE "instrument_definitions" ADD CONSTRAINT "instrument_definitions_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "screening_consents" ADD CONSTRAINT "screening_consents_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "screening_consents" ADD CONSTRAINT "screening_consents_student_id_students_id_fk" FOREIGN KEY ("student_id") REFERENCES "public"."students"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "screening_consents" ADD CONSTRAINT "screening_consents_guardian_id_guardians_id_fk" FOREIGN KEY ("guardian_id") REFERENCES "public"."guardians"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "screening_consents" ADD CONSTRAINT "screening_consents_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "screening_notices" ADD CONSTRAINT "screening_notices_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "screening_notices" ADD CONSTRAINT "screening_notices_window_id_screening_windows_id_fk" FOREIGN KEY ("window_id") REFERENCES "public"."screening_windows"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "screening_notices" ADD CONSTRAINT "screening_notices_student_id_students_id_fk" FOREIGN KEY ("student_id") REFERENCES "public"."students"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "screening_notices" ADD CONSTRAINT "screening_notices_guardian_id_guardians_id_fk" FOREIGN KEY ("guardian_id") REFERENCES "public"."guardians"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "screening_results" ADD CONSTRAINT "screening_results_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "screening_results" ADD CONSTRAINT "screening_results_student_id_students_id_fk" FOREIGN KEY ("student_id") REFERENCES "public"."students"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "screening_results" ADD CONSTRAINT "screening_results_window_id_screening_windows_id_fk" FOREIGN KEY ("window_id") REFERENCES "public"."screening_windows"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "screening_results" ADD CONSTRAINT "screening_results_session_id_screening_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."screening_sessions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "screening_results" ADD CONSTRAINT "screening_results_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "screening_results" ADD CONSTRAINT "screening_results_alert_report_id_reports_id_fk" FOREIGN KEY ("alert_report_id") REFERENCES "public"."reports"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "screening_results" ADD CONSTRAINT "screening_results_followed_up_by_users_id_fk" FOREIGN KEY ("followed_up_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "screening_sessions" ADD CONSTRAINT "screening_sessions_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "screening_sessions" ADD CONSTRAINT "screening_sessions_window_id_screening_windows_id_fk" FOREIGN KEY ("window_id") REFERENCES "public"."screening_windows"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "screening_sessions" ADD CONSTRAINT "screening_sessions_student_id_students_id_fk" FOREIGN KEY ("student_id") REFERENCES "public"."students"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "screening_sessions" ADD CONSTRAINT "screening_sessions_alert_report_id_reports_id_fk" FOREIGN KEY ("alert_report_id") REFERENCES "public"."reports"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "screening_sessions" ADD CONSTRAINT "screening_sessions_issued_by_users_id_fk" FOREIGN KEY ("issued_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "screening_windows" ADD CONSTRAINT "screening_windows_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "screening_windows" ADD CONSTRAINT "screening_windows_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "instrument_definitions_version" ON "instrument_definitions" USING btree ("district_id","instrument_id","version");--> statement-breakpoint
CREATE INDEX "screening_consents_student" ON "screening_consents" USING btree ("student_id","recorded_at");--> statement-breakpoint
CREATE INDEX "screening_notices_window" ON "screening_notices" USING btree ("window_id","student_id");--> statement-breakpoint
CREATE INDEX "screening_results_student" ON "screening_results" USING btree ("student_id","administered_at");--> statement-breakpoint
CREATE INDEX "screening_results_window" ON "screening_results" USING btree ("window_id","school_id","student_id","district_id","instrument_id","band","follow_up_due_on","followed_up_at","alert_report_id");--> statement-breakpoint
CREATE INDEX "screening_results_follow_up" ON "screening_results" USING btree ("district_id","follow_up_due_on");--> statement-breakpoint
CREATE INDEX "screening_results_alert_pending" ON "screening_results" USING btree ("administered_at") WHERE alert_report_id is null and source = 'import' and flags && array['suicide_risk', 'imminent_risk'];--> statement-breakpoint
CREATE UNIQUE INDEX "screening_sessions_code" ON "screening_sessions" USING btree ("code_hash");--> statement-breakpoint
CREATE INDEX "screening_sessions_window" ON "screening_sessions" USING btree ("window_id","student_id");--> statement-breakpoint
CREATE INDEX "screening_windows_district" ON "screening_windows" USING btree ("district_id","opens_on");--> statement-breakpoint
ALTER TABLE "reports" ADD CONSTRAINT "reports_student_id_students_id_fk" FOREIGN KEY ("student_id") REFERENCES "public"."students"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "students_roster" ON "students" USING btree ("district_id","school_id","grade") WHERE active;--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "instrument_definitions" AS PERMISSIVE FOR ALL TO public USING (district_id = (select nullif(current_setting('haven.district_id', true), '')::uuid)) WITH CHECK (district_id = (select nullif(current_setting('haven.district_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "screening_consents" AS PERMISSIVE FOR ALL TO public USING (district_id = (select nullif(current_setting('haven.district_id', true), '')::uuid)) WITH CHECK (district_id = (select nullif(current_setting('haven.district_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "screening_notices" AS PERMISSIVE FOR ALL TO public USING (district_id = (select nullif(current_setting('haven.district_id', true), '')::uuid)) WITH CHECK (district_id = (select nullif(current_setting('haven.district_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "screening_results" AS PERMISSIVE FOR ALL TO public USING (district_id = (select nullif(current_setting('haven.district_id', true), '')::uuid)) WITH CHECK (district_id = (select nullif(current_setting('haven.district_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "screening_sessions" AS PERMISSIVE FOR ALL TO public USING (district_id = (select nullif(current_setting('haven.district_id', true), '')::uuid)) WITH CHECK (district_id = (select nullif(current_setting('haven.district_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "screening_windows" AS PERMISSIVE FOR ALL TO public USING (district_id = (select nullif(current_setting('haven.district_id', true), '')::uuid)) WITH CHECK (district_id = (select nullif(current_setting('haven.district_id', true), '')::uuid));--> statement-breakpoint
ALTER POLICY "tenant_isolation" ON "role_grants" TO public USING (district_id = (select nullif(current_setting('haven.district_id', true), '')::uuid)) WITH CHECK (district_id = (select nullif(current_setting('haven.district_id', true), '')::uuid));--> statement-breakpoint
ALTER POLICY "tenant_isolation" ON "incidents" TO public USING (district_id = (select nullif(current_setting('haven.district_id', true), '')::uuid)) WITH CHECK (district_id = (select nullif(current_setting('haven.district_id', true), '')::uuid));--> statement-breakpoint
ALTER POLICY "tenant_isolation" ON "report_alerts" TO public USING (district_id = (select nullif(current_setting('haven.district_id', true), '')::uuid)) WITH CHECK (district_id = (select nullif(current_setting('haven.district_id', true), '')::uuid));--> statement-breakpoint
ALTER POLICY "tenant_isolation" ON "report_messages" TO public USING (district_id = (select nullif(current_setting('haven.district_id', true), '')::uuid)) WITH CHECK (district_id = (select nullif(current_setting('haven.district_id', true), '')::uuid));--> statement-breakpoint
ALTER POLICY "tenant_isolation" ON "reports" TO public USING (district_id = (select nullif(current_setting('haven.district_id', true), '')::uuid)) WITH CHECK (district_id = (select nullif(current_setting('haven.district_id', true), '')::uuid));--> statement-breakpoint
ALTER POLICY "tenant_isolation" ON "crisis_team_members" TO public USING (district_id = (select nullif(current_setting('haven.district_id', true), '')::uuid)) WITH CHECK (district_id = (select nullif(current_setting('haven.district_id', true), '')::uuid));--> statement-breakpoint
ALTER POLICY "tenant_isolation" ON "crisis_teams" TO public USING (district_id = (select nullif(current_setting('haven.district_id', true), '')::uuid)) WITH CHECK (district_id = (select nullif(current_setting('haven.district_id', true), '')::uuid));--> statement-breakpoint
ALTER POLICY "tenant_isolation" ON "escalation_settings" TO public USING (district_id = (select nullif(current_setting('haven.district_id', true), '')::uuid)) WITH CHECK (district_id = (select nullif(current_setting('haven.district_id', true), '')::uuid));--> statement-breakpoint
ALTER POLICY "tenant_isolation" ON "on_call_overrides" TO public USING (district_id = (select nullif(current_setting('haven.district_id', true), '')::uuid)) WITH CHECK (district_id = (select nullif(current_setting('haven.district_id', true), '')::uuid));--> statement-breakpoint
ALTER POLICY "tenant_isolation" ON "on_call_shifts" TO public USING (district_id = (select nullif(current_setting('haven.district_id', true), '')::uuid)) WITH CHECK (district_id = (select nullif(current_setting('haven.district_id', true), '')::uuid));--> statement-breakpoint
ALTER POLICY "tenant_isolation" ON "districts" TO public USING (id = (select nullif(current_setting('haven.district_id', true), '')::uuid)) WITH CHECK (id = (select nullif(current_setting('haven.district_id', true), '')::uuid));--> statement-breakpoint
ALTER POLICY "tenant_isolation" ON "schools" TO public USING (district_id = (select nullif(current_setting('haven.district_id', true), '')::uuid)) WITH CHECK (district_id = (select nullif(current_setting('haven.district_id', true), '')::uuid));--> statement-breakpoint
ALTER POLICY "tenant_isolation" ON "partner_organizations" TO public USING (district_id = (select nullif(current_setting('haven.district_id', true), '')::uuid)) WITH CHECK (district_id = (select nullif(current_setting('haven.district_id', true), '')::uuid));--> statement-breakpoint
ALTER POLICY "tenant_isolation" ON "guardians" TO public USING (district_id = (select nullif(current_setting('haven.district_id', true), '')::uuid)) WITH CHECK (district_id = (select nullif(current_setting('haven.district_id', true), '')::uuid));--> statement-breakpoint
ALTER POLICY "tenant_isolation" ON "student_guardians" TO public USING (district_id = (select nullif(current_setting('haven.district_id', true), '')::uuid)) WITH CHECK (district_id = (select nullif(current_setting('haven.district_id', true), '')::uuid));--> statement-breakpoint
ALTER POLICY "tenant_isolation" ON "students" TO public USING (district_id = (select nullif(current_setting('haven.district_id', true), '')::uuid)) WITH CHECK (district_id = (select nullif(current_setting('haven.district_id', true), '')::uuid));--> statement-breakpoint
ALTER POLICY "tenant_isolation" ON "audit_events" TO public USING (district_id = (select nullif(current_setting('haven.district_id', true), '')::uuid)) WITH CHECK (district_id = (select nullif(current_setting('haven.district_id', true), '')::uuid));