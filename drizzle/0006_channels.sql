CREATE TABLE "channel_bindings" (
	"channel" text NOT NULL,
	"account" text NOT NULL,
	"user_key" text NOT NULL,
	"session_id" text NOT NULL,
	"lang" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "channel_bindings_channel_account_user_key_pk" PRIMARY KEY("channel","account","user_key")
);
--> statement-breakpoint
CREATE INDEX "channel_bindings_session_idx" ON "channel_bindings" USING btree ("session_id");