ALTER TABLE "reports" ADD COLUMN "safety_flag" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "escalation_settings" ADD COLUMN "after_hours_member_ids" jsonb DEFAULT '[]'::jsonb NOT NULL;
--> statement-breakpoint
-- Reports already stored keep escalating around the clock when their category speaks of harm.
UPDATE "reports" SET "safety_flag" = true WHERE "category" IN ('suicide_self_harm', 'harm_to_others', 'weapon') OR "channel" = 'screening';
