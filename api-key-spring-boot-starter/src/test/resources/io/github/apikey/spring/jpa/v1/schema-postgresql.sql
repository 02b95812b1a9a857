-- Fixture: the release 1 script, copied unchanged from commit a88f0cc, to create tables as that release did.
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
    CONSTRAINT pk_api_keys PRIMARY KEY (id),
    CONSTRAINT uq_api_keys_key_id UNIQUE (key_id),
    CONSTRAINT uq_api_keys_key_hash UNIQUE (key_hash)
);
CREATE INDEX IF NOT EXISTS ix_api_keys_created_at ON api_keys (created_at);
