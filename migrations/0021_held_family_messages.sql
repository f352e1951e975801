CREATE TABLE "held_family_messages" (
	"id" uuid PRIMARY KEY NOT NULL,
	"district_id" uuid NOT NULL,
	"student_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"message" jsonb NOT NULL,
	"held_at" timestamp with time zone NOT NULL,
	"decided_at" timestamp with time zone,
	"decided_by" uuid,
	"decision" text,
	"reason" text
);
--> statement-breakpoint
ALTER TABLE "held_family_messages" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "reports" ADD COLUMN "household_concern" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "held_family_messages" ADD CONSTRAINT "held_family_messages_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "held_family_messages" ADD CONSTRAINT "held_family_messages_student_id_students_id_fk" FOREIGN KEY ("student_id") REFERENCES "public"."students"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "held_family_messages" ADD CONSTRAINT "held_family_messages_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "held_family_messages_student" ON "held_family_messages" USING btree ("district_id","student_id");--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "held_family_messages" AS PERMISSIVE FOR ALL TO public USING (district_id = (select nullif(current_setting('haven.district_id', true), '')::uuid)) WITH CHECK (district_id = (select nullif(current_setting('haven.district_id', true), '')::uuid));--> statement-breakpoint
ALTER TABLE "held_family_messages" FORCE ROW LEVEL SECURITY;
