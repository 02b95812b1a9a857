-- Upgrades an API key table created by schema version 1 (PostgreSQL) to version 2. Idempotent: safe to run again.
-- The starter runs it at start-up when api-key.jdbc.initialize-schema lets it create the schema; else run it
-- yourself, with api_keys replaced by your api-key.jdbc.table-name if you set one. Adding nullable columns without
-- a default changes only the catalog: no row is rewritten. Each index is built while writes wait (seconds each for
-- a million keys on two cores); on a large table run these CREATE INDEX statements with CONCURRENTLY yourself first.
ALTER TABLE api_keys
    ADD COLUMN IF NOT EXISTS owner_id                   VARCHAR(128),
    ADD COLUMN IF NOT EXISTS metadata                   TEXT,
    ADD COLUMN IF NOT EXISTS allowed_ips                TEXT,
    ADD COLUMN IF NOT EXISTS allowed_origins            TEXT,
    ADD COLUMN IF NOT EXISTS remaining                  BIGINT,
    ADD COLUMN IF NOT EXISTS refill_amount              BIGINT,
    ADD COLUMN IF NOT EXISTS refill_interval            VARCHAR(16),
    ADD COLUMN IF NOT EXISTS last_refill_at             TIMESTAMP(6) WITH TIME ZONE,
    ADD COLUMN IF NOT EXISTS rotated_at                 TIMESTAMP(6) WITH TIME ZONE,
    ADD COLUMN IF NOT EXISTS previous_key_hash          VARCHAR(128),
    ADD COLUMN IF NOT EXISTS previous_secret_expires_at TIMESTAMP(6) WITH TIME ZONE,
    ADD COLUMN IF NOT EXISTS rate_limits                TEXT;
CREATE INDEX IF NOT EXISTS ix_api_keys_owner_id ON api_keys (owner_id);
-- The indexes of the management search (schema-postgresql.sql says which filters and orders they serve).
CREATE INDEX IF NOT EXISTS ix_api_keys_created_at_desc ON api_keys (created_at DESC NULLS LAST);
CREATE INDEX IF NOT EXISTS ix_api_keys_is_active ON api_keys (is_active, created_at DESC NULLS LAST, id);
CREATE INDEX IF NOT EXISTS ix_api_keys_active ON api_keys (is_active);
CREATE INDEX IF NOT EXISTS ix_api_keys_expires_at_covering ON api_keys (expires_at) INCLUDE (created_at, is_active, id);
CREATE INDEX IF NOT EXISTS ix_api_keys_last_used_at_covering ON api_keys (last_used_at DESC NULLS LAST, id)
    INCLUDE (created_at, is_active);
CREATE INDEX IF NOT EXISTS ix_api_keys_name ON api_keys (name);
