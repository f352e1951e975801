CREATE TABLE "staff_positions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"district_id" uuid NOT NULL,
	"school_id" uuid NOT NULL,
	"role" text NOT NULL,
	"fte" double precision NOT NULL,
	"caseload_per_fte" integer NOT NULL,
	"title" text,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "staff_positions" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "districts" ADD COLUMN "small_cell_threshold" integer DEFAULT 10 NOT NULL;--> statement-breakpoint
ALTER TABLE "districts" ADD COLUMN "students_per_counselor" integer DEFAULT 250 NOT NULL;--> statement-breakpoint
ALTER TABLE "staff_positions" ADD CONSTRAINT "staff_positions_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "staff_positions" ADD CONSTRAINT "staff_positions_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "staff_positions_school" ON "staff_positions" USING btree ("district_id","school_id");--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "staff_positions" AS PERMISSIVE FOR ALL TO public USING (district_id = (select nullif(current_setting('haven.district_id', true), '')::uuid)) WITH CHECK (district_id = (select nullif(current_setting('haven.district_id', true), '')::uuid));