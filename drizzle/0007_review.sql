CREATE TABLE "recording_findings" (
	"id" text PRIMARY KEY NOT NULL,
	"session_id" text NOT NULL,
	"seq" integer,
	"severity" text NOT NULL,
	"category" text NOT NULL,
	"note" text NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "recording_holds" (
	"id" text PRIMARY KEY NOT NULL,
	"session_id" text NOT NULL,
	"reason" text NOT NULL,
	"placed_by" text NOT NULL,
	"placed_at" timestamp with time zone NOT NULL,
	"released_by" text,
	"released_at" timestamp with time zone,
	"release_reason" text
);
--> statement-breakpoint
CREATE TABLE "recordings" (
	"session_id" text PRIMARY KEY NOT NULL,
	"case_id" text NOT NULL,
	"branch_path" text NOT NULL,
	"officer_id" text,
	"lang" text NOT NULL,
	"status" text NOT NULL,
	"end_reason" text,
	"started_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone NOT NULL,
	"event_count" integer NOT NULL,
	"last_seq" integer NOT NULL,
	"last_hash" text NOT NULL,
	"catalogue_version" text NOT NULL,
	"anchor_audit_seq" bigint NOT NULL,
	"flag_codes" jsonb NOT NULL,
	"outcome" text,
	"loan_ends_at" timestamp with time zone,
	"loan_term_months" integer,
	"purged_at" timestamp with time zone,
	"purge_audit_seq" bigint,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "review_items" (
	"session_id" text PRIMARY KEY NOT NULL,
	"case_id" text NOT NULL,
	"branch_path" text NOT NULL,
	"status" text NOT NULL,
	"assignee_id" text,
	"claimed_at" timestamp with time zone,
	"claim_expires_at" timestamp with time zone,
	"version" integer NOT NULL,
	"ended_at" timestamp with time zone NOT NULL,
	"decided_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "review_opinions" (
	"id" text PRIMARY KEY NOT NULL,
	"session_id" text NOT NULL,
	"case_id" text NOT NULL,
	"branch_path" text NOT NULL,
	"expert_id" text NOT NULL,
	"kind" text NOT NULL,
	"amount_fen" bigint,
	"term_months" integer,
	"rate_bp" integer,
	"check_code" text,
	"check_note" text,
	"facts" jsonb NOT NULL,
	"reasons" jsonb NOT NULL,
	"decision" text,
	"features" jsonb,
	"feature_source" text,
	"audit_seq" bigint NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "review_opinions_session_id_unique" UNIQUE("session_id")
);
--> statement-breakpoint
ALTER TABLE "recording_findings" ADD CONSTRAINT "recording_findings_session_id_recordings_session_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."recordings"("session_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recording_holds" ADD CONSTRAINT "recording_holds_session_id_recordings_session_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."recordings"("session_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_items" ADD CONSTRAINT "review_items_session_id_recordings_session_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."recordings"("session_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_opinions" ADD CONSTRAINT "review_opinions_session_id_review_items_session_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."review_items"("session_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "recording_findings_session_idx" ON "recording_findings" USING btree ("session_id");--> statement-breakpoint
CREATE INDEX "recording_holds_session_idx" ON "recording_holds" USING btree ("session_id");--> statement-breakpoint
CREATE UNIQUE INDEX "recording_holds_active_uq" ON "recording_holds" USING btree ("session_id") WHERE released_at is null;--> statement-breakpoint
CREATE INDEX "recordings_branch_idx" ON "recordings" USING btree ("branch_path");--> statement-breakpoint
CREATE INDEX "recordings_case_idx" ON "recordings" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "recordings_ended_idx" ON "recordings" USING btree ("ended_at");--> statement-breakpoint
CREATE INDEX "review_items_queue_idx" ON "review_items" USING btree ("status","ended_at");--> statement-breakpoint
CREATE INDEX "review_items_branch_idx" ON "review_items" USING btree ("branch_path");--> statement-breakpoint
CREATE INDEX "review_items_case_idx" ON "review_items" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "review_opinions_case_idx" ON "review_opinions" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "review_opinions_created_idx" ON "review_opinions" USING btree ("created_at");