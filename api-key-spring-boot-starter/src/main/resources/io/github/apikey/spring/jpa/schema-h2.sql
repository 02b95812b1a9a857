-- API key table (H2). Idempotent: safe to run at every start-up.
CREATE TABLE IF NOT EXISTS api_keys (
    id               VARCHAR(36)              NOT NULL,
    name             VARCHAR(128),
    description      VARCHAR(1024),
    is_active        BOOLEAN                  NOT NULL DEFAULT TRUE,
    expires_at       TIMESTAMP(6) WITH TIME ZONE,
    created_at       TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    last_used_at     TIMESTAMP(6) WITH TIME ZONE,
    key_id           VARCHAR(16)              NOT NULL,
    key_hash         VARCHAR(128)             NOT NULL,
    key_secret_first VARCHAR(4)               NOT NULL,
    key_secret_last  VARCHAR(4)               NOT NULL,
    scopes           VARCHAR(4096),
    -- Version 2 (upgrade-1-to-2-h2.sql adds these to an older table). Nullable: keyshield writes rows without them.
    owner_id                   VARCHAR(128),
    -- Text rather than a CLOB, which Hibernate would map to another JDBC type than a String attribute.
    metadata                   VARCHAR(1000000),
    allowed_ips                VARCHAR(1000000),
    allowed_origins            VARCHAR(1000000),
    remaining                  BIGINT,
    refill_amount              BIGINT,
    refill_interval            VARCHAR(16),
    last_refill_at             TIMESTAMP(6) WITH TIME ZONE,
    rotated_at                 TIMESTAMP(6) WITH TIME ZONE,
    previous_key_hash          VARCHAR(128),
    previous_secret_expires_at TIMESTAMP(6) WITH TIME ZONE,
    rate_limits                VARCHAR(1000000),
    CONSTRAINT pk_api_keys PRIMARY KEY (id),
    CONSTRAINT uq_api_keys_key_id UNIQUE (key_id),
    CONSTRAINT uq_api_keys_key_hash UNIQUE (key_hash)
);
CREATE INDEX IF NOT EXISTS ix_api_keys_created_at ON api_keys (created_at);
CREATE INDEX IF NOT EXISTS ix_api_keys_owner_id ON api_keys (owner_id);
-- Indexes for the management search: the filters and orders ApiKeySpecifications produces (see
-- schema-postgresql.sql, whose indexes these mirror under the same names).
CREATE INDEX IF NOT EXISTS ix_api_keys_created_at_desc ON api_keys (created_at DESC NULLS LAST);
CREATE INDEX IF NOT EXISTS ix_api_keys_is_active ON api_keys (is_active, created_at DESC NULLS LAST, id);
CREATE INDEX IF NOT EXISTS ix_api_keys_expires_at ON api_keys (expires_at);
CREATE INDEX IF NOT EXISTS ix_api_keys_last_used_at ON api_keys (last_used_at DESC NULLS LAST, id);
CREATE INDEX IF NOT EXISTS ix_api_keys_name ON api_keys (name);
