CREATE TABLE "catalogue_versions" (
	"version" text PRIMARY KEY NOT NULL,
	"seq" integer NOT NULL,
	"catalogue_id" text NOT NULL,
	"content" json NOT NULL,
	"content_sha256" text NOT NULL,
	"status" text NOT NULL,
	"based_on" text,
	"note" text,
	"validation" jsonb NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"activated_by" text,
	"activated_at" timestamp with time zone,
	"retired_at" timestamp with time zone,
	CONSTRAINT "catalogue_versions_seq_unique" UNIQUE("seq")
);
--> statement-breakpoint
CREATE UNIQUE INDEX "catalogue_versions_one_active_uq" ON "catalogue_versions" USING btree ("status") WHERE status = 'active';