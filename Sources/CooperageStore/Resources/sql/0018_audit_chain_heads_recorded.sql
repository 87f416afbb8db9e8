-- The cooperative chain records every tenant chain's head, at least daily (AuditHeadRecorder): a second anchor,
-- inside the database, besides the files of `cooperage audit anchor`.
--
-- A hash chain shows an event altered or removed in its middle, but not the removal of its newest events: what is
-- left is still a valid chain. Once a tenant chain's head (sequence number and hash) is recorded in the
-- cooperative's chain, `cooperage audit verify` requires that chain to still reach it.
--
-- Audit events keep only a digest of their payload, so the recorded heads are kept here, as the exact JSON text
-- whose SHA-256 is the payload digest of the cooperative event `seq` (action audit.heads-recorded): the event's
-- hash covers the digest, so a change to this text breaks the cooperative chain's verification too. The table
-- holds no tenant's data (the heads are hashes of events, readable by the cooperative anyway) and has no
-- tenant_id column: a cooperative-level table, like cooperative_audit_event itself.
CREATE TABLE cooperative_audit_heads (
    seq bigint PRIMARY KEY REFERENCES cooperative_audit_event (seq),
    heads text NOT NULL
);

-- Append-only for the server's role, like the audit trail.
GRANT SELECT, INSERT ON cooperative_audit_heads TO cooperage_app;
GRANT SELECT ON cooperative_audit_heads TO cooperage_coop;
CREATE TRIGGER cooperative_audit_heads_append_only BEFORE UPDATE OR DELETE ON cooperative_audit_heads
    FOR EACH ROW EXECUTE FUNCTION refuse_change();

-- The recorder asks when the heads were last recorded (several server instances record at most one set per half
-- interval), and verify reads every recording: both find them by this index, not by reading the cooperative chain.
CREATE INDEX cooperative_audit_event_heads_recorded ON cooperative_audit_event (occurred_at)
    WHERE action = 'audit.heads-recorded';
