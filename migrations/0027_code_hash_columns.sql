-- The hashes of short codes (a reporter's follow-up code, a student's screening code and the
-- device's hold token) could be brute-forced by anyone who reads them, so the app role, which
-- serves signed-in staff, cannot. Only the maintenance role (anonymous intake by code) reads them.
-- A column added to these tables later is unreadable by the app role until granted here: it fails
-- closed, and the catalog test in test/tenancy.test.ts says so.
REVOKE SELECT ON reports FROM haven_app;--> statement-breakpoint
GRANT SELECT (id, district_id, school_id, incident_id, channel, category, urgency_reported, urgency, triage_reasons, safety_flag, household_concern, description, about_person, contact_encrypted, reply_address_encrypted, reply_address_hash, language, state_tip_line_id, student_id, entered_by_user_id, status, disposition, received_at, acknowledged_at, acknowledged_by, first_action_at, student_contacted_at, connected_to_help_at, closed_at, escalation_step, next_escalation_at, throttled) ON reports TO haven_app;--> statement-breakpoint
REVOKE SELECT ON screening_sessions FROM haven_app;--> statement-breakpoint
GRANT SELECT (id, district_id, window_id, student_id, school_id, status, instrument_ids, code_expires_at, answers, language, alert_report_id, alert_urgency, issued_by, issued_at, started_at, completed_at, held_at, released_at, released_by) ON screening_sessions TO haven_app;
