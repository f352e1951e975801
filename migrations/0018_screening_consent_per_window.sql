ALTER TABLE "districts" ALTER COLUMN "screening_consent" SET DEFAULT 'active';--> statement-breakpoint
ALTER TABLE "screening_consents" ADD COLUMN "window_id" uuid;--> statement-breakpoint
ALTER TABLE "screening_consents" ADD COLUMN "school_year" text;--> statement-breakpoint
ALTER TABLE "screening_consents" ADD COLUMN "instrument_id" text;--> statement-breakpoint
ALTER TABLE "screening_consents" ADD CONSTRAINT "screening_consents_window_id_screening_windows_id_fk" FOREIGN KEY ("window_id") REFERENCES "public"."screening_windows"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "screening_consents_window" ON "screening_consents" USING btree ("window_id","student_id");--> statement-breakpoint
-- Existing consents (decision 20): a consent recorded before consent was per window is moved to
-- the window it answered: the window of the latest notice the family had received by then, or
-- else the first window of the student's school and grade that had not closed. It does not reach
-- any later window. A consent that matches no window covers nothing and stays as history.
UPDATE "screening_consents" c SET "window_id" = coalesce(
  (SELECT n."window_id" FROM "screening_notices" n
    WHERE n."student_id" = c."student_id" AND n."sent_at" <= c."recorded_at"
    ORDER BY n."sent_at" DESC LIMIT 1),
  (SELECT w."id" FROM "screening_windows" w
    JOIN "students" s ON s."id" = c."student_id"
    JOIN "districts" d ON d."id" = c."district_id"
    WHERE w."district_id" = c."district_id" AND s."school_id" = ANY(w."school_ids") AND s."grade" = ANY(w."grades")
      AND w."closes_on" >= (c."recorded_at" AT TIME ZONE d."time_zone")::date
    ORDER BY w."opens_on", w."created_at" LIMIT 1))
WHERE c."kind" IN ('consent', 'student_consent') AND c."window_id" IS NULL;--> statement-breakpoint
-- Existing opt-outs and withdrawals keep neither window nor school year: they stand for every
-- window, as they did, until the family consents to one. Window rows carry their school year.
UPDATE "screening_consents" c SET "school_year" =
  CASE WHEN extract(month FROM w."opens_on") >= 7
    THEN extract(year FROM w."opens_on")::int || '-' || lpad(((extract(year FROM w."opens_on")::int + 1) % 100)::text, 2, '0')
    ELSE (extract(year FROM w."opens_on")::int - 1) || '-' || lpad((extract(year FROM w."opens_on")::int % 100)::text, 2, '0')
  END
FROM "screening_windows" w WHERE w."id" = c."window_id" AND c."school_year" IS NULL;
