-- API key table (PostgreSQL). Idempotent: safe to run at every start-up.
CREATE TABLE IF NOT EXISTS api_keys (
    id               VARCHAR(36)  NOT NULL,
    name             VARCHAR(128),
    description      TEXT,
    is_active        BOOLEAN      NOT NULL DEFAULT TRUE,
    expires_at       TIMESTAMP(6) WITH TIME ZONE,
    created_at       TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    last_used_at     TIMESTAMP(6) WITH TIME ZONE,
    key_id           VARCHAR(16)  NOT NULL,
    key_hash         VARCHAR(128) NOT NULL,
    key_secret_first VARCHAR(4)   NOT NULL,
    key_secret_last  VARCHAR(4)   NOT NULL,
    scopes           TEXT,
    -- Version 2 (upgrade-1-to-2-postgresql.sql adds these to an older table). Nullable: keyshield writes rows
    -- without them. Metadata is text, not jsonb, so that it keeps its key order and numbers exactly as written.
    owner_id                   VARCHAR(128),
    metadata                   TEXT,
    allowed_ips                TEXT,
    allowed_origins            TEXT,
    remaining                  BIGINT,
    refill_amount              BIGINT,
    refill_interval            VARCHAR(16),
    last_refill_at             TIMESTAMP(6) WITH TIME ZONE,
    rotated_at                 TIMESTAMP(6) WITH TIME ZONE,
    previous_key_hash          VARCHAR(128),
    previous_secret_expires_at TIMESTAMP(6) WITH TIME ZONE,
    rate_limits                TEXT,
    CONSTRAINT pk_api_keys PRIMARY KEY (id),
    CONSTRAINT uq_api_keys_key_id UNIQUE (key_id),
    CONSTRAINT uq_api_keys_key_hash UNIQUE (key_hash)
);
CREATE INDEX IF NOT EXISTS ix_api_keys_created_at ON api_keys (created_at);
CREATE INDEX IF NOT EXISTS ix_api_keys_owner_id ON api_keys (owner_id);
-- Indexes for the management search at scale: the filters and orders ApiKeySpecifications produces. Listings put
-- missing values last in both directions, and PostgreSQL follows an index for an order only when its NULLS placement
-- matches: hence DESC NULLS LAST where a listing runs newest or most recent first (the default order is created_at
-- DESC). The id that breaks ties is left to an incremental sort, except in the two indexes that also serve listings by
-- state and by last use. Counts are count(1), which any index answers without the table; ix_api_keys_active, on the
-- state alone, is small (deduplicated: about 7 MB for a million keys), so counting all keys or those in one state
-- reads it rather than the table. Not indexed, so scanned: name
-- fragments (case-insensitive LIKE), scopes and metadata. The index on last_used_at makes each last-used write update
-- the indexes too (no HOT update); those writes come at most once per key per api-key.last-used.flush-interval.
CREATE INDEX IF NOT EXISTS ix_api_keys_created_at_desc ON api_keys (created_at DESC NULLS LAST);
CREATE INDEX IF NOT EXISTS ix_api_keys_is_active ON api_keys (is_active, created_at DESC NULLS LAST, id);
CREATE INDEX IF NOT EXISTS ix_api_keys_active ON api_keys (is_active);
-- The indexes on expiry and last use also hold the creation time, the state and the id (INCLUDE, PostgreSQL 11), so
-- that a listing bounded on one of those times and ordered by another (keys expiring this week, newest first) finds
-- and sorts its matches from the index alone: JpaApiKeyStore.find asks for that when the order's own index would
-- be walked past many keys that do not match. Tables made by earlier scripts keep their narrower indexes
-- ix_api_keys_expires_at and ix_api_keys_last_used_at, now unused: the script never drops an index (an unqualified
-- DROP would look the name up through the search path, possibly in another schema); drop them yourself.
CREATE INDEX IF NOT EXISTS ix_api_keys_expires_at_covering ON api_keys (expires_at) INCLUDE (created_at, is_active, id);
CREATE INDEX IF NOT EXISTS ix_api_keys_last_used_at_covering ON api_keys (last_used_at DESC NULLS LAST, id)
    INCLUDE (created_at, is_active);
CREATE INDEX IF NOT EXISTS ix_api_keys_name ON api_keys (name);
-- Audit trail (schema version 3; upgrade-2-to-3-postgresql.sql adds it to an older installation): one row per
-- management operation, each holding the SHA-256 of the one before (event_hash over a canonical form, see
-- "Audit trail" in the README), never a secret or a key hash. The head row holds the last link; appends lock it (SELECT ...
-- FOR UPDATE), so the chain stays linear across instances. With a custom api-key.jdbc.table-name the tables are
-- <table>_events and <table>_events_head.
CREATE TABLE IF NOT EXISTS api_key_events (
    seq            BIGINT       NOT NULL,
    occurred_at    TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    action         VARCHAR(16)  NOT NULL,
    outcome        VARCHAR(16)  NOT NULL,
    api_key_id     VARCHAR(36),
    key_id         VARCHAR(16),
    actor_type     VARCHAR(16)  NOT NULL,
    actor          VARCHAR(255) NOT NULL,
    client_address VARCHAR(64),
    details        TEXT         NOT NULL,
    previous_hash  VARCHAR(64)  NOT NULL,
    event_hash     VARCHAR(64)  NOT NULL,
    CONSTRAINT pk_api_key_events PRIMARY KEY (seq)
);
CREATE INDEX IF NOT EXISTS ix_api_key_events_api_key_id ON api_key_events (api_key_id, seq);
CREATE INDEX IF NOT EXISTS ix_api_key_events_occurred_at ON api_key_events (occurred_at);
CREATE INDEX IF NOT EXISTS ix_api_key_events_actor ON api_key_events (actor, seq);
CREATE TABLE IF NOT EXISTS api_key_events_head (
    chain     VARCHAR(16) NOT NULL,
    last_seq  BIGINT      NOT NULL,
    last_hash VARCHAR(64) NOT NULL,
    CONSTRAINT pk_api_key_events_head PRIMARY KEY (chain)
);
INSERT INTO api_key_events_head (chain, last_seq, last_hash) VALUES ('main', 0, '0000000000000000000000000000000000000000000000000000000000000000') ON CONFLICT DO NOTHING;
