CREATE TABLE "roster_settings" (
	"district_id" uuid PRIMARY KEY NOT NULL,
	"ext_mapping" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"rest_base_url" text,
	"rest_token_url" text,
	"rest_client_id" text,
	"rest_client_secret_encrypted" text,
	"rest_version" text,
	"sync_time" text,
	"delta_from" timestamp (3) with time zone,
	"last_sync_at" timestamp (3) with time zone,
	"last_sync_outcome" text,
	"last_sync_error" text,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "roster_settings" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "roster_settings" ADD CONSTRAINT "roster_settings_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "roster_settings" AS PERMISSIVE FOR ALL TO public USING (district_id = (select nullif(current_setting('haven.district_id', true), '')::uuid)) WITH CHECK (district_id = (select nullif(current_setting('haven.district_id', true), '')::uuid));--> statement-breakpoint
ALTER TABLE "roster_settings" FORCE ROW LEVEL SECURITY;
