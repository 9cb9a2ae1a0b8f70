CREATE TABLE "pipeline_results" (
	"id" text PRIMARY KEY NOT NULL,
	"case_id" text NOT NULL,
	"session_id" text,
	"trigger" text NOT NULL,
	"requested_by" text NOT NULL,
	"outcome" text NOT NULL,
	"inputs" jsonb NOT NULL,
	"inputs_hash" text NOT NULL,
	"config" jsonb NOT NULL,
	"versions" jsonb NOT NULL,
	"body" jsonb NOT NULL,
	"body_hash" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "pipeline_results_case_idx" ON "pipeline_results" USING btree ("case_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "pipeline_results_interview_uq" ON "pipeline_results" USING btree ("session_id") WHERE trigger = 'interview_completed';