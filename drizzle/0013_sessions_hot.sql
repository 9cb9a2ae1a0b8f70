DROP INDEX "interview_sessions_activity_idx";--> statement-breakpoint
CREATE INDEX "interview_sessions_status_ended_idx" ON "interview_sessions" USING btree ("status","ended_at");--> statement-breakpoint
-- Hand-written: a turn rewrites its session row (snapshot, last_seq, last_activity_at); with no index on those
-- columns the update is HOT (no index entries, the old version pruned in place) when the page has room for the
-- new version, which fillfactor 70 keeps. Existing pages get the room as they are rewritten.
ALTER TABLE "interview_sessions" SET (fillfactor = 70);
