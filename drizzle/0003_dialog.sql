CREATE TABLE "interview_events" (
	"session_id" text NOT NULL,
	"seq" integer NOT NULL,
	"kind" text NOT NULL,
	"client_msg_id" text,
	"at" timestamp with time zone NOT NULL,
	"event" jsonb NOT NULL,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL,
	CONSTRAINT "interview_events_session_id_seq_pk" PRIMARY KEY("session_id","seq")
);
--> statement-breakpoint
CREATE TABLE "interview_sessions" (
	"id" text PRIMARY KEY NOT NULL,
	"case_id" text NOT NULL,
	"invitation_id" text NOT NULL,
	"branch_path" text NOT NULL,
	"lang" text NOT NULL,
	"seed" bigint NOT NULL,
	"status" text NOT NULL,
	"budget" integer NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"last_activity_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone,
	"end_reason" text,
	"last_seq" integer NOT NULL,
	"snapshot" jsonb NOT NULL,
	CONSTRAINT "interview_sessions_invitation_id_unique" UNIQUE("invitation_id")
);
--> statement-breakpoint
ALTER TABLE "interview_events" ADD CONSTRAINT "interview_events_session_id_interview_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."interview_sessions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "interview_events_client_msg_uq" ON "interview_events" USING btree ("session_id","client_msg_id");--> statement-breakpoint
CREATE INDEX "interview_sessions_case_idx" ON "interview_sessions" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "interview_sessions_activity_idx" ON "interview_sessions" USING btree ("status","last_activity_at");