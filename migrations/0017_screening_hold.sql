ALTER TABLE "screening_sessions" ADD COLUMN "hold_token_hash" text;--> statement-breakpoint
ALTER TABLE "screening_sessions" ADD COLUMN "held_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "screening_sessions" ADD COLUMN "released_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "screening_sessions" ADD COLUMN "released_by" uuid;--> statement-breakpoint
ALTER TABLE "screening_sessions" ADD CONSTRAINT "screening_sessions_released_by_users_id_fk" FOREIGN KEY ("released_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "screening_sessions_hold" ON "screening_sessions" USING btree ("hold_token_hash");