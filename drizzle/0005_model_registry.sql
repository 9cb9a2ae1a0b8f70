CREATE TABLE "model_versions" (
	"version" text PRIMARY KEY NOT NULL,
	"dir" text NOT NULL,
	"role" text NOT NULL,
	"card" jsonb NOT NULL,
	"onnx_sha256" text NOT NULL,
	"previous_champion" text,
	"registered_by" text NOT NULL,
	"registered_at" timestamp with time zone NOT NULL,
	"role_changed_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "scorecard_versions" (
	"scorecard_id" text NOT NULL,
	"version" integer NOT NULL,
	"data" jsonb NOT NULL,
	"active" boolean NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "scorecard_versions_scorecard_id_version_pk" PRIMARY KEY("scorecard_id","version")
);
--> statement-breakpoint
CREATE UNIQUE INDEX "model_versions_one_champion_uq" ON "model_versions" USING btree ("role") WHERE role = 'champion';--> statement-breakpoint
CREATE UNIQUE INDEX "scorecard_versions_one_active_uq" ON "scorecard_versions" USING btree ("scorecard_id") WHERE active;