-- Issue 15, decision 22: the tenant policies bind every role but one.
--
-- 1. haven_maintenance: the only role that crosses districts (the worker, anonymous intake by code
--    hash, sign-in and sessions, the command line, the demo seed). BYPASSRLS, but no superuser, owns
--    nothing, may not rewrite the audit trail. Haven's system connection logs in as it (with a
--    password derived from the secret key, like haven_app's) or through HAVEN_MAINTENANCE_DATABASE_URL.
--    Creating a BYPASSRLS role needs a superuser (or, from PostgreSQL 16, a CREATEROLE role that has
--    BYPASSRLS itself); when the owner cannot, the DBA creates it first (README, production notes).
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'haven_maintenance') THEN
    BEGIN
      CREATE ROLE haven_maintenance NOLOGIN NOSUPERUSER BYPASSRLS NOCREATEDB NOCREATEROLE NOREPLICATION;
    EXCEPTION
      -- Roles belong to the cluster: a migration of another database may have just created it.
      WHEN duplicate_object OR unique_violation THEN NULL;
      WHEN insufficient_privilege THEN
        RAISE EXCEPTION 'Haven needs the role haven_maintenance (BYPASSRLS), and % may not create it.', current_user
          USING HINT = 'As a superuser: CREATE ROLE haven_maintenance LOGIN BYPASSRLS PASSWORD ''...''; then set HAVEN_MAINTENANCE_DATABASE_URL (README, production notes).';
    END;
  END IF;
  IF NOT (SELECT rolbypassrls OR rolsuper FROM pg_roles WHERE rolname = 'haven_maintenance') THEN
    RAISE EXCEPTION 'The role haven_maintenance exists but lacks BYPASSRLS: the worker and sign-in would see no rows.'
      USING HINT = 'As a superuser: ALTER ROLE haven_maintenance BYPASSRLS;';
  END IF;
END
$$;--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO haven_maintenance;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO haven_maintenance;--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO haven_maintenance;--> statement-breakpoint
-- The audit trail is append-only for the maintenance role too (the trigger stays for the owner).
REVOKE UPDATE, DELETE, TRUNCATE ON audit_events FROM haven_maintenance;--> statement-breakpoint
--
-- 2. Sessions and API tokens name a district: they get row-level security like every tenant table.
--    No policy: only haven_maintenance (sign-in, session lookup) ever reads them; haven_app has no
--    privilege on them at all (0001), and the owner, forced below, sees none.
ALTER TABLE sessions ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE api_tokens ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
--
-- 3. FORCE: the table owner obeys the policies too (a superuser still bypasses them, as always).
--    Every table with a district_id column or a policy; test/tenancy.test.ts fails on a new one
--    that lacks it.
ALTER TABLE action_items FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE api_tokens FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE audit_events FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE case_access_grants FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE case_events FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE case_records FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE case_reports FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE case_students FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE case_tasks FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE cases FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE crisis_team_members FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE crisis_teams FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE dashboard_rollups FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE districts FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE escalation_settings FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE funding_allocations FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE funding_sources FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE funding_spending FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE guardians FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE incidents FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE instrument_definitions FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE intervention_library FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE on_call_overrides FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE on_call_shifts FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE partner_agreements FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE partner_locations FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE partner_organizations FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE partner_services FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE plan_events FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE plan_progress FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE policies FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE policy_acknowledgements FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE policy_versions FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE referral_consents FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE referral_events FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE referral_follow_ups FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE referrals FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE report_alerts FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE report_messages FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE reports FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE role_grants FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE roster_imports FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE roster_staff FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE schools FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE screening_consents FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE screening_notices FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE screening_results FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE screening_sessions FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE screening_windows FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE self_assessments FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE service_at_locations FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE sessions FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE staff_positions FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE student_contacts FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE student_guardians FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE students FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE support_plans FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE training_attendance FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE training_sessions FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE trainings FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE users FORCE ROW LEVEL SECURITY;--> statement-breakpoint
--
-- 4. The app role cannot read credentials: column privileges on users (password hash, TOTP secrets
--    and their bookkeeping are left out). Sessions, API tokens, recovery codes and password resets
--    are already closed to it (0001). A new column of users is closed to haven_app until a
--    migration grants it.
REVOKE SELECT ON users FROM haven_app;--> statement-breakpoint
GRANT SELECT (id, email, display_name, password_changed_at, preferred_language, disabled_at, created_at) ON users TO haven_app;
