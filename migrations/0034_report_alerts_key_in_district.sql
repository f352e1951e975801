-- An alert references its report within its district (decision 44): one key check per alert row instead of two, and none that share-locks the district's row.
CREATE UNIQUE INDEX "reports_district_id" ON "reports" USING btree ("district_id","id");--> statement-breakpoint
ALTER TABLE "report_alerts" DROP CONSTRAINT "report_alerts_district_id_districts_id_fk";--> statement-breakpoint
ALTER TABLE "report_alerts" DROP CONSTRAINT "report_alerts_report_id_reports_id_fk";--> statement-breakpoint
ALTER TABLE "report_alerts" ADD CONSTRAINT "report_alerts_report_fk" FOREIGN KEY ("district_id","report_id") REFERENCES "public"."reports"("district_id","id") ON DELETE no action ON UPDATE no action;
