-- A result references its student within its district (decision 44): one key check per row instead of two, and no result can name another district's student.
CREATE UNIQUE INDEX "students_district_id" ON "students" USING btree ("district_id","id");--> statement-breakpoint
ALTER TABLE "screening_results" DROP CONSTRAINT "screening_results_district_id_districts_id_fk";--> statement-breakpoint
ALTER TABLE "screening_results" DROP CONSTRAINT "screening_results_student_id_students_id_fk";--> statement-breakpoint
ALTER TABLE "screening_results" ADD CONSTRAINT "screening_results_student_fk" FOREIGN KEY ("district_id","student_id") REFERENCES "public"."students"("district_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- The window dashboard reads both from an index alone, in the order it groups by.
DROP INDEX "screening_results_window";--> statement-breakpoint
CREATE INDEX "screening_results_window" ON "screening_results" USING btree ("window_id","school_id","instrument_id","band","follow_up_due_on","followed_up_at","alert_report_id","district_id") WHERE window_id is not null;--> statement-breakpoint
CREATE INDEX "screening_sessions_window_status" ON "screening_sessions" USING btree ("window_id","school_id","status","district_id");
