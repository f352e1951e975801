CREATE TABLE "incidents" (
	"id" uuid PRIMARY KEY NOT NULL,
	"district_id" uuid NOT NULL,
	"school_id" uuid,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "incidents" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "report_alerts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"district_id" uuid NOT NULL,
	"report_id" uuid NOT NULL,
	"step" integer NOT NULL,
	"member_id" uuid,
	"user_id" uuid,
	"channel" text NOT NULL,
	"outcome" text NOT NULL,
	"at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "report_alerts" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "report_messages" (
	"id" uuid PRIMARY KEY NOT NULL,
	"district_id" uuid NOT NULL,
	"report_id" uuid NOT NULL,
	"direction" text NOT NULL,
	"body" text NOT NULL,
	"author_user_id" uuid,
	"at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "report_messages" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "reports" (
	"id" uuid PRIMARY KEY NOT NULL,
	"district_id" uuid NOT NULL,
	"school_id" uuid,
	"incident_id" uuid,
	"channel" text NOT NULL,
	"category" text NOT NULL,
	"urgency_reported" text NOT NULL,
	"urgency" text NOT NULL,
	"triage_reasons" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"description" text NOT NULL,
	"about_person" text,
	"contact_encrypted" text,
	"reply_address_encrypted" text,
	"reply_address_hash" text,
	"language" text DEFAULT 'en' NOT NULL,
	"follow_up_code_hash" text NOT NULL,
	"state_tip_line_id" text,
	"entered_by_user_id" uuid,
	"status" text DEFAULT 'received' NOT NULL,
	"disposition" text,
	"received_at" timestamp (3) with time zone NOT NULL,
	"acknowledged_at" timestamp (3) with time zone,
	"acknowledged_by" uuid,
	"first_action_at" timestamp (3) with time zone,
	"student_contacted_at" timestamp (3) with time zone,
	"connected_to_help_at" timestamp (3) with time zone,
	"closed_at" timestamp (3) with time zone,
	"escalation_step" integer DEFAULT 0 NOT NULL,
	"next_escalation_at" timestamp (3) with time zone
);
--> statement-breakpoint
ALTER TABLE "reports" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "crisis_team_members" (
	"id" uuid PRIMARY KEY NOT NULL,
	"district_id" uuid NOT NULL,
	"team_id" uuid NOT NULL,
	"user_id" uuid,
	"name" text NOT NULL,
	"team_role" text NOT NULL,
	"email" text,
	"phone" text,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "crisis_team_members" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "crisis_teams" (
	"id" uuid PRIMARY KEY NOT NULL,
	"district_id" uuid NOT NULL,
	"school_id" uuid,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "crisis_teams" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "escalation_settings" (
	"district_id" uuid PRIMARY KEY NOT NULL,
	"wait_minutes" jsonb NOT NULL,
	"hours_start" time DEFAULT '07:00' NOT NULL,
	"hours_end" time DEFAULT '17:00' NOT NULL,
	"weekdays" jsonb DEFAULT '[1,2,3,4,5]'::jsonb NOT NULL
);
--> statement-breakpoint
ALTER TABLE "escalation_settings" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "on_call_overrides" (
	"id" uuid PRIMARY KEY NOT NULL,
	"district_id" uuid NOT NULL,
	"team_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"position" text NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "on_call_overrides" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "on_call_shifts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"district_id" uuid NOT NULL,
	"team_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"position" text NOT NULL,
	"weekday" integer NOT NULL,
	"starts_at" time NOT NULL,
	"ends_at" time NOT NULL
);
--> statement-breakpoint
ALTER TABLE "on_call_shifts" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_alerts" ADD CONSTRAINT "report_alerts_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_alerts" ADD CONSTRAINT "report_alerts_report_id_reports_id_fk" FOREIGN KEY ("report_id") REFERENCES "public"."reports"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_alerts" ADD CONSTRAINT "report_alerts_member_id_crisis_team_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."crisis_team_members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_alerts" ADD CONSTRAINT "report_alerts_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_messages" ADD CONSTRAINT "report_messages_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_messages" ADD CONSTRAINT "report_messages_report_id_reports_id_fk" FOREIGN KEY ("report_id") REFERENCES "public"."reports"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_messages" ADD CONSTRAINT "report_messages_author_user_id_users_id_fk" FOREIGN KEY ("author_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reports" ADD CONSTRAINT "reports_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reports" ADD CONSTRAINT "reports_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reports" ADD CONSTRAINT "reports_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reports" ADD CONSTRAINT "reports_entered_by_user_id_users_id_fk" FOREIGN KEY ("entered_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reports" ADD CONSTRAINT "reports_acknowledged_by_users_id_fk" FOREIGN KEY ("acknowledged_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crisis_team_members" ADD CONSTRAINT "crisis_team_members_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crisis_team_members" ADD CONSTRAINT "crisis_team_members_team_id_crisis_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."crisis_teams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crisis_team_members" ADD CONSTRAINT "crisis_team_members_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crisis_teams" ADD CONSTRAINT "crisis_teams_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crisis_teams" ADD CONSTRAINT "crisis_teams_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "escalation_settings" ADD CONSTRAINT "escalation_settings_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "on_call_overrides" ADD CONSTRAINT "on_call_overrides_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "on_call_overrides" ADD CONSTRAINT "on_call_overrides_team_id_crisis_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."crisis_teams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "on_call_overrides" ADD CONSTRAINT "on_call_overrides_member_id_crisis_team_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."crisis_team_members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "on_call_shifts" ADD CONSTRAINT "on_call_shifts_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "on_call_shifts" ADD CONSTRAINT "on_call_shifts_team_id_crisis_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."crisis_teams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "on_call_shifts" ADD CONSTRAINT "on_call_shifts_member_id_crisis_team_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."crisis_team_members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "incidents_district" ON "incidents" USING btree ("district_id","created_at");--> statement-breakpoint
CREATE INDEX "report_alerts_report" ON "report_alerts" USING btree ("report_id","at");--> statement-breakpoint
CREATE INDEX "report_alerts_user" ON "report_alerts" USING btree ("user_id","at");--> statement-breakpoint
CREATE INDEX "report_messages_report" ON "report_messages" USING btree ("report_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "reports_follow_up_code" ON "reports" USING btree ("follow_up_code_hash");--> statement-breakpoint
CREATE INDEX "reports_district_status" ON "reports" USING btree ("district_id","status","received_at");--> statement-breakpoint
CREATE INDEX "reports_due_escalation" ON "reports" USING btree ("next_escalation_at");--> statement-breakpoint
CREATE INDEX "reports_reply_address" ON "reports" USING btree ("reply_address_hash");--> statement-breakpoint
CREATE INDEX "crisis_team_members_team" ON "crisis_team_members" USING btree ("team_id");--> statement-breakpoint
CREATE INDEX "crisis_teams_district_school" ON "crisis_teams" USING btree ("district_id","school_id");--> statement-breakpoint
CREATE INDEX "on_call_overrides_team" ON "on_call_overrides" USING btree ("team_id","starts_at");--> statement-breakpoint
CREATE INDEX "on_call_shifts_team" ON "on_call_shifts" USING btree ("team_id");--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "incidents" AS PERMISSIVE FOR ALL TO public USING (district_id = nullif(current_setting('haven.district_id', true), '')::uuid) WITH CHECK (district_id = nullif(current_setting('haven.district_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "report_alerts" AS PERMISSIVE FOR ALL TO public USING (district_id = nullif(current_setting('haven.district_id', true), '')::uuid) WITH CHECK (district_id = nullif(current_setting('haven.district_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "report_messages" AS PERMISSIVE FOR ALL TO public USING (district_id = nullif(current_setting('haven.district_id', true), '')::uuid) WITH CHECK (district_id = nullif(current_setting('haven.district_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "reports" AS PERMISSIVE FOR ALL TO public USING (district_id = nullif(current_setting('haven.district_id', true), '')::uuid) WITH CHECK (district_id = nullif(current_setting('haven.district_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "crisis_team_members" AS PERMISSIVE FOR ALL TO public USING (district_id = nullif(current_setting('haven.district_id', true), '')::uuid) WITH CHECK (district_id = nullif(current_setting('haven.district_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "crisis_teams" AS PERMISSIVE FOR ALL TO public USING (district_id = nullif(current_setting('haven.district_id', true), '')::uuid) WITH CHECK (district_id = nullif(current_setting('haven.district_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "escalation_settings" AS PERMISSIVE FOR ALL TO public USING (district_id = nullif(current_setting('haven.district_id', true), '')::uuid) WITH CHECK (district_id = nullif(current_setting('haven.district_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "on_call_overrides" AS PERMISSIVE FOR ALL TO public USING (district_id = nullif(current_setting('haven.district_id', true), '')::uuid) WITH CHECK (district_id = nullif(current_setting('haven.district_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "on_call_shifts" AS PERMISSIVE FOR ALL TO public USING (district_id = nullif(current_setting('haven.district_id', true), '')::uuid) WITH CHECK (district_id = nullif(current_setting('haven.district_id', true), '')::uuid);