CREATE TABLE "screening_costs" (
	"id" text PRIMARY KEY NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"provider" text NOT NULL,
	"category" text NOT NULL,
	"case_id" text NOT NULL,
	"branch_id" text NOT NULL,
	"branch_path" text NOT NULL,
	"cost_fen" bigint NOT NULL,
	"cache_hit" boolean NOT NULL,
	"query_id" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "screening_queries" (
	"id" text PRIMARY KEY NOT NULL,
	"run_id" text NOT NULL,
	"case_id" text NOT NULL,
	"provider" text NOT NULL,
	"category" text NOT NULL,
	"consent_id" text NOT NULL,
	"status" text NOT NULL,
	"cache_hit" boolean NOT NULL,
	"attempts" integer NOT NULL,
	"latency_ms" integer NOT NULL,
	"cost_fen" bigint NOT NULL,
	"error_code" text,
	"raw_enc" text,
	"fetched_at" timestamp with time zone,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "screening_runs" (
	"id" text PRIMARY KEY NOT NULL,
	"case_id" text NOT NULL,
	"branch_id" text NOT NULL,
	"branch_path" text NOT NULL,
	"status" text NOT NULL,
	"attempt" integer NOT NULL,
	"requested_by" text NOT NULL,
	"facts" jsonb NOT NULL,
	"findings" jsonb NOT NULL,
	"sources" jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "screening_costs_at_idx" ON "screening_costs" USING btree ("at");--> statement-breakpoint
CREATE INDEX "screening_costs_branch_idx" ON "screening_costs" USING btree ("branch_path","at");--> statement-breakpoint
CREATE INDEX "screening_queries_run_idx" ON "screening_queries" USING btree ("run_id");--> statement-breakpoint
CREATE INDEX "screening_queries_case_idx" ON "screening_queries" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "screening_runs_case_idx" ON "screening_runs" USING btree ("case_id","created_at");