-- Upgrades an API key table created by schema version 1 (MariaDB) to version 2, in one statement. Idempotent:
-- safe to run again. The starter runs it at start-up when api-key.jdbc.initialize-schema lets it create the schema;
-- else run it yourself, with api_keys replaced by your api-key.jdbc.table-name if you set one.
-- MySQL has no IF NOT EXISTS for columns and indexes: on MySQL, remove the two words after each ADD and run it once.
ALTER TABLE api_keys
    ADD COLUMN IF NOT EXISTS owner_id                   VARCHAR(128) COLLATE utf8mb4_bin,
    ADD COLUMN IF NOT EXISTS metadata                   LONGTEXT     COLLATE utf8mb4_bin,
    ADD COLUMN IF NOT EXISTS allowed_ips                TEXT         COLLATE utf8mb4_bin,
    ADD COLUMN IF NOT EXISTS allowed_origins            TEXT         COLLATE utf8mb4_bin,
    ADD COLUMN IF NOT EXISTS remaining                  BIGINT,
    ADD COLUMN IF NOT EXISTS refill_amount              BIGINT,
    ADD COLUMN IF NOT EXISTS refill_interval            VARCHAR(16)  CHARACTER SET ascii COLLATE ascii_bin,
    ADD COLUMN IF NOT EXISTS last_refill_at             DATETIME(6),
    ADD COLUMN IF NOT EXISTS rotated_at                 DATETIME(6),
    ADD COLUMN IF NOT EXISTS previous_key_hash          VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin,
    ADD COLUMN IF NOT EXISTS previous_secret_expires_at DATETIME(6),
    ADD COLUMN IF NOT EXISTS rate_limits                TEXT         COLLATE utf8mb4_bin,
    ADD INDEX IF NOT EXISTS ix_api_keys_owner_id (owner_id),
    -- The management search's indexes, as in schema-mysql.sql (which says why none is on last_used_at).
    ADD INDEX IF NOT EXISTS ix_api_keys_created_at_desc (created_at DESC),
    ADD INDEX IF NOT EXISTS ix_api_keys_is_active (is_active, created_at DESC),
    ADD INDEX IF NOT EXISTS ix_api_keys_expires_at (expires_at),
    ADD INDEX IF NOT EXISTS ix_api_keys_name (name);
