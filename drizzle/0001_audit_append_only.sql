-- The audit chain is append-only: the head row starts the chain, and a trigger refuses UPDATE, DELETE and TRUNCATE
-- on the events. (Tamper tests disable the trigger as the database owner to prove verification catches edits.)
INSERT INTO "audit_head" ("id", "last_seq", "last_hash") VALUES (1, 0, 'GENESIS') ON CONFLICT DO NOTHING;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION weidai_audit_refuse_change() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'audit_events is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER audit_events_no_update_delete BEFORE UPDATE OR DELETE ON "audit_events"
  FOR EACH ROW EXECUTE FUNCTION weidai_audit_refuse_change();
--> statement-breakpoint
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON "audit_events"
  FOR EACH STATEMENT EXECUTE FUNCTION weidai_audit_refuse_change();
