-- The application connects as haven_app, which owns nothing, so row-level security applies to it.
-- Migrations run as the owner; haven_app gets only the rights the request path needs.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'haven_app') THEN
    CREATE ROLE haven_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
  END IF;
END
$$;--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO haven_app;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO haven_app;--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO haven_app;--> statement-breakpoint
-- Credentials and sign-in bookkeeping are handled by the authentication module on the system connection.
REVOKE ALL ON sessions, api_tokens, sign_in_attempts, password_resets, recovery_codes FROM haven_app;--> statement-breakpoint
REVOKE INSERT, UPDATE, DELETE ON users FROM haven_app;--> statement-breakpoint
REVOKE INSERT, DELETE ON districts FROM haven_app;--> statement-breakpoint
-- The audit trail is append-only for everyone; the trigger also stops the owner unless triggers are disabled by hand.
REVOKE UPDATE, DELETE, TRUNCATE ON audit_events FROM haven_app;--> statement-breakpoint
CREATE FUNCTION haven_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit events are append-only (% refused)', TG_OP;
END
$$;--> statement-breakpoint
CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION haven_audit_append_only();--> statement-breakpoint
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION haven_audit_append_only();
