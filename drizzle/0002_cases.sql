CREATE TABLE "case_consents" (
	"id" text PRIMARY KEY NOT NULL,
	"seq" bigserial NOT NULL,
	"case_id" text NOT NULL,
	"kind" text NOT NULL,
	"source" text NOT NULL,
	"granted" boolean NOT NULL,
	"text_id" text NOT NULL,
	"text_version" integer NOT NULL,
	"lang" text NOT NULL,
	"channel" text NOT NULL,
	"invitation_id" text,
	"recorded_by" text NOT NULL,
	"evidence_hash" text NOT NULL,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "case_photos" (
	"id" text PRIMARY KEY NOT NULL,
	"case_id" text NOT NULL,
	"question_id" text,
	"mime" text NOT NULL,
	"size_bytes" integer NOT NULL,
	"sha256" text NOT NULL,
	"phash" text,
	"width" integer,
	"height" integer,
	"taken_at" timestamp with time zone,
	"gps" jsonb,
	"content" "bytea" NOT NULL,
	"uploaded_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "case_surveys" (
	"case_id" text PRIMARY KEY NOT NULL,
	"template_id" text NOT NULL,
	"template_version" integer NOT NULL,
	"answers" jsonb NOT NULL,
	"rejected" jsonb NOT NULL,
	"status" text NOT NULL,
	"submitted_at" timestamp with time zone,
	"submitted_by" text,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cases" (
	"id" text PRIMARY KEY NOT NULL,
	"status" text NOT NULL,
	"source" text NOT NULL,
	"upstream_system" text,
	"upstream_case_no" text,
	"upstream_content_hash" text,
	"applicant_kind" text NOT NULL,
	"name_enc" text NOT NULL,
	"resident_id_enc" text NOT NULL,
	"resident_id_hash" text NOT NULL,
	"mobile_enc" text NOT NULL,
	"mobile_hash" text NOT NULL,
	"uscc" text,
	"address_enc" text NOT NULL,
	"business_name" text,
	"industry_code" text NOT NULL,
	"sector" text NOT NULL,
	"household_enc" text NOT NULL,
	"household_size" integer NOT NULL,
	"amount_fen" bigint NOT NULL,
	"term_months" integer NOT NULL,
	"purpose" text NOT NULL,
	"repayment_method" text NOT NULL,
	"branch_id" text NOT NULL,
	"branch_path" text NOT NULL,
	"officer_id" text,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "integration_keys" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"key_hash" text NOT NULL,
	"key_prefix" text NOT NULL,
	"branch_id" text NOT NULL,
	"branch_path" text NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "integration_keys_name_unique" UNIQUE("name"),
	CONSTRAINT "integration_keys_key_hash_unique" UNIQUE("key_hash")
);
--> statement-breakpoint
CREATE TABLE "invitations" (
	"id" text PRIMARY KEY NOT NULL,
	"case_id" text NOT NULL,
	"token_hash" text NOT NULL,
	"status" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"opened_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"used_at" timestamp with time zone,
	"otp_hash" text,
	"otp_expires_at" timestamp with time zone,
	"failed_checks" integer DEFAULT 0 NOT NULL,
	"session_token_hash" text,
	"session_expires_at" timestamp with time zone,
	CONSTRAINT "invitations_token_hash_unique" UNIQUE("token_hash"),
	CONSTRAINT "invitations_session_token_hash_unique" UNIQUE("session_token_hash")
);
--> statement-breakpoint
ALTER TABLE "case_consents" ADD CONSTRAINT "case_consents_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_photos" ADD CONSTRAINT "case_photos_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_surveys" ADD CONSTRAINT "case_surveys_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "case_consents_case_idx" ON "case_consents" USING btree ("case_id","kind","source");--> statement-breakpoint
CREATE INDEX "case_photos_case_idx" ON "case_photos" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "case_photos_sha_idx" ON "case_photos" USING btree ("sha256");--> statement-breakpoint
CREATE INDEX "cases_branch_path_idx" ON "cases" USING btree ("branch_path");--> statement-breakpoint
CREATE INDEX "cases_resident_id_hash_idx" ON "cases" USING btree ("resident_id_hash");--> statement-breakpoint
CREATE INDEX "cases_mobile_hash_idx" ON "cases" USING btree ("mobile_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "cases_upstream_uq" ON "cases" USING btree ("upstream_system","upstream_case_no") WHERE upstream_case_no is not null;--> statement-breakpoint
CREATE INDEX "invitations_case_idx" ON "invitations" USING btree ("case_id");