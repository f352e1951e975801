CREATE TABLE "partner_agreements" (
	"id" uuid PRIMARY KEY NOT NULL,
	"district_id" uuid NOT NULL,
	"organization_id" uuid NOT NULL,
	"type" text NOT NULL,
	"scope" text NOT NULL,
	"school_ids" uuid[] DEFAULT '{}' NOT NULL,
	"ferpa_basis" text NOT NULL,
	"starts_on" date NOT NULL,
	"ends_on" date NOT NULL,
	"document_name" text,
	"document_base64" text,
	"renewal_reminded_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "partner_agreements" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "partner_services" ADD COLUMN "service_types" text[] DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE "partner_services" ADD COLUMN "modalities" text[] DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE "partner_services" ADD COLUMN "insurance" text[] DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE "partner_services" ADD COLUMN "competencies" text[] DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE "partner_services" ADD COLUMN "interpretation" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "partner_services" ADD COLUMN "waitlist_weeks" integer;--> statement-breakpoint
ALTER TABLE "partner_agreements" ADD CONSTRAINT "partner_agreements_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partner_agreements" ADD CONSTRAINT "partner_agreements_organization_id_partner_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."partner_organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "partner_agreements_org" ON "partner_agreements" USING btree ("organization_id","ends_on");--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "partner_agreements" AS PERMISSIVE FOR ALL TO public USING (district_id = (select nullif(current_setting('haven.district_id', true), '')::uuid)) WITH CHECK (district_id = (select nullif(current_setting('haven.district_id', true), '')::uuid));