-- Upgrades an API key installation of schema version 2 (postgresql) to version 3: adds the audit trail's tables. Idempotent: safe
-- to run again. The starter runs it at start-up when api-key.jdbc.initialize-schema lets it create the schema; else run
-- it yourself, with api_key_events replaced by <table>_events if you set api-key.jdbc.table-name to <table>.
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
