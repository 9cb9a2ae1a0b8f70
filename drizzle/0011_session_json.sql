-- The bank (~60 KB, written once per interview) and the snapshot (rewritten after every turn) are stored and read
-- whole, never queried inside: json only checks the text, where jsonb parsed and rebuilt it on every write.
ALTER TABLE "interview_sessions" ALTER COLUMN "bank" SET DATA TYPE json USING "bank"::json;--> statement-breakpoint
ALTER TABLE "interview_sessions" ALTER COLUMN "snapshot" SET DATA TYPE json USING "snapshot"::json;--> statement-breakpoint
-- lz4 compresses several times faster than the default pglz; a server built without it keeps pglz.
DO $$ BEGIN
  ALTER TABLE "interview_sessions" ALTER COLUMN "bank" SET COMPRESSION lz4;
  ALTER TABLE "interview_sessions" ALTER COLUMN "snapshot" SET COMPRESSION lz4;
EXCEPTION WHEN OTHERS THEN NULL;
END $$;
