CREATE TABLE "pipeline_jobs" (
	"session_id" text PRIMARY KEY NOT NULL,
	"status" text NOT NULL,
	"attempts" integer NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"error_code" text,
	"error_message" text,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "pipeline_jobs_due_idx" ON "pipeline_jobs" USING btree ("due_at") WHERE status in ('pending', 'running');--> statement-breakpoint
-- Hand-written: completed interviews from before this table that have no result yet are owed a run.
INSERT INTO "pipeline_jobs" ("session_id", "status", "attempts", "due_at", "created_at", "updated_at")
SELECT s."id", 'pending', 0, now(), now(), now()
FROM "interview_sessions" s
WHERE s."status" = 'completed'
  AND NOT EXISTS (
    SELECT 1 FROM "pipeline_results" r WHERE r."session_id" = s."id" AND r."trigger" = 'interview_completed'
  )
ON CONFLICT DO NOTHING;
