CREATE TABLE "report_intake" (
	"id" uuid PRIMARY KEY NOT NULL,
	"received_at" timestamp (3) with time zone NOT NULL,
	"priority" integer NOT NULL,
	"payload" jsonb NOT NULL
);
--> statement-breakpoint
CREATE INDEX "report_intake_order" ON "report_intake" USING btree ("priority","received_at");--> statement-breakpoint
REVOKE ALL ON report_intake FROM haven_app;
