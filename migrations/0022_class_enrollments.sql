CREATE TABLE "class_enrollments" (
	"id" uuid PRIMARY KEY NOT NULL,
	"district_id" uuid NOT NULL,
	"sourced_id" text NOT NULL,
	"class_id" uuid NOT NULL,
	"role" text NOT NULL,
	"student_id" uuid,
	"roster_staff_id" uuid,
	"active" boolean DEFAULT true NOT NULL,
	CONSTRAINT "class_enrollments_member" CHECK (("class_enrollments"."role" = 'student' and "class_enrollments"."student_id" is not null and "class_enrollments"."roster_staff_id" is null) or ("class_enrollments"."role" = 'teacher' and "class_enrollments"."roster_staff_id" is not null and "class_enrollments"."student_id" is null))
);
--> statement-breakpoint
ALTER TABLE "class_enrollments" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "classes" (
	"id" uuid PRIMARY KEY NOT NULL,
	"district_id" uuid NOT NULL,
	"school_id" uuid,
	"sourced_id" text NOT NULL,
	"title" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL
);
--> statement-breakpoint
ALTER TABLE "classes" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "class_enrollments" ADD CONSTRAINT "class_enrollments_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "class_enrollments" ADD CONSTRAINT "class_enrollments_class_id_classes_id_fk" FOREIGN KEY ("class_id") REFERENCES "public"."classes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "class_enrollments" ADD CONSTRAINT "class_enrollments_student_id_students_id_fk" FOREIGN KEY ("student_id") REFERENCES "public"."students"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "class_enrollments" ADD CONSTRAINT "class_enrollments_roster_staff_id_roster_staff_id_fk" FOREIGN KEY ("roster_staff_id") REFERENCES "public"."roster_staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "classes" ADD CONSTRAINT "classes_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "classes" ADD CONSTRAINT "classes_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "class_enrollments_sourced" ON "class_enrollments" USING btree ("district_id","sourced_id");--> statement-breakpoint
CREATE INDEX "class_enrollments_student" ON "class_enrollments" USING btree ("student_id");--> statement-breakpoint
CREATE INDEX "class_enrollments_class" ON "class_enrollments" USING btree ("class_id");--> statement-breakpoint
CREATE UNIQUE INDEX "classes_sourced" ON "classes" USING btree ("district_id","sourced_id");--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "class_enrollments" AS PERMISSIVE FOR ALL TO public USING (district_id = (select nullif(current_setting('haven.district_id', true), '')::uuid)) WITH CHECK (district_id = (select nullif(current_setting('haven.district_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "classes" AS PERMISSIVE FOR ALL TO public USING (district_id = (select nullif(current_setting('haven.district_id', true), '')::uuid)) WITH CHECK (district_id = (select nullif(current_setting('haven.district_id', true), '')::uuid));--> statement-breakpoint
ALTER TABLE "classes" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "class_enrollments" FORCE ROW LEVEL SECURITY;
