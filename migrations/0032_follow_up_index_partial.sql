-- Issue 20: the follow-up queue reads only positives; negatives (most of an imported file) no longer maintain this index.
DROP INDEX "screening_results_follow_up";--> statement-breakpoint
CREATE INDEX "screening_results_follow_up" ON "screening_results" USING btree ("district_id","follow_up_due_on") WHERE follow_up_due_on is not null;