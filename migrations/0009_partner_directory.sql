CREATE TABLE "partner_locations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"district_id" uuid NOT NULL,
	"hsds_id" text NOT NULL,
	"name" text,
	"latitude" double precision,
	"longitude" double precision,
	"document" jsonb NOT NULL
);
--> statement-breakpoint
ALTER TABLE "partner_locations" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "partner_services" (
	"id" uuid PRIMARY KEY NOT NULL,
	"district_id" uuid NOT NULL,
	"organization_id" uuid NOT NULL,
	"hsds_id" text NOT NULL,
	"name" text NOT NULL,
	"status" text NOT NULL,
	"description" text,
	"minimum_age" integer,
	"maximum_age" integer,
	"languages" text[] DEFAULT '{}' NOT NULL,
	"capacity_available" integer,
	"capacity_maximum" integer,
	"capacity_updated_at" timestamp with time zone,
	"document" jsonb NOT NULL
);
--> statement-breakpoint
ALTER TABLE "partner_services" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "service_at_locations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"district_id" uuid NOT NULL,
	"hsds_id" text NOT NULL,
	"service_id" uuid NOT NULL,
	"location_id" uuid NOT NULL,
	"document" jsonb NOT NULL
);
--> statement-breakpoint
ALTER TABLE "service_at_locations" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "partner_organizations" ADD COLUMN "hsds_id" text;--> statement-breakpoint
ALTER TABLE "partner_organizations" ADD COLUMN "description" text;--> statement-breakpoint
ALTER TABLE "partner_organizations" ADD COLUMN "website" text;--> statement-breakpoint
ALTER TABLE "partner_organizations" ADD COLUMN "email" text;--> statement-breakpoint
ALTER TABLE "partner_organizations" ADD COLUMN "document" jsonb;--> statement-breakpoint
ALTER TABLE "partner_locations" ADD CONSTRAINT "partner_locations_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partner_services" ADD CONSTRAINT "partner_services_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partner_services" ADD CONSTRAINT "partner_services_organization_id_partner_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."partner_organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_at_locations" ADD CONSTRAINT "service_at_locations_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_at_locations" ADD CONSTRAINT "service_at_locations_service_id_partner_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."partner_services"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_at_locations" ADD CONSTRAINT "service_at_locations_location_id_partner_locations_id_fk" FOREIGN KEY ("location_id") REFERENCES "public"."partner_locations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "partner_locations_hsds" ON "partner_locations" USING btree ("district_id","hsds_id");--> statement-breakpoint
CREATE UNIQUE INDEX "partner_services_hsds" ON "partner_services" USING btree ("district_id","hsds_id");--> statement-breakpoint
CREATE INDEX "partner_services_org" ON "partner_services" USING btree ("organization_id");--> statement-breakpoint
CREATE UNIQUE INDEX "service_at_locations_hsds" ON "service_at_locations" USING btree ("district_id","hsds_id");--> statement-breakpoint
CREATE UNIQUE INDEX "partner_organizations_hsds" ON "partner_organizations" USING btree ("district_id","hsds_id");--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "partner_locations" AS PERMISSIVE FOR ALL TO public USING (district_id = (select nullif(current_setting('haven.district_id', true), '')::uuid)) WITH CHECK (district_id = (select nullif(current_setting('haven.district_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "partner_services" AS PERMISSIVE FOR ALL TO public USING (district_id = (select nullif(current_setting('haven.district_id', true), '')::uuid)) WITH CHECK (district_id = (select nullif(current_setting('haven.district_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "service_at_locations" AS PERMISSIVE FOR ALL TO public USING (district_id = (select nullif(current_setting('haven.district_id', true), '')::uuid)) WITH CHECK (district_id = (select nullif(current_setting('haven.district_id', true), '')::uuid));