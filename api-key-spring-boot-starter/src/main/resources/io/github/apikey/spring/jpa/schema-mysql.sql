-- API key table (MariaDB and MySQL). Idempotent: safe to run at every start-up.
-- Binary collations make equality, LIKE and ordering case-sensitive, as on the other databases.
CREATE TABLE IF NOT EXISTS api_keys (
    id               VARCHAR(36)   CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    name             VARCHAR(128)  COLLATE utf8mb4_bin,
    description      TEXT          COLLATE utf8mb4_bin,
    is_active        BOOLEAN       NOT NULL DEFAULT TRUE,
    expires_at       DATETIME(6),
    created_at       DATETIME(6)   NOT NULL,
    last_used_at     DATETIME(6),
    key_id           VARCHAR(16)   CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    key_hash         VARCHAR(128)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    key_secret_first VARCHAR(4)    CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    key_secret_last  VARCHAR(4)    CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    scopes           TEXT          COLLATE utf8mb4_bin,
    -- Version 2 (upgrade-1-to-2-mysql.sql adds these to an older table). Nullable: keyshield writes rows without
    -- them. Metadata is text rather than MySQL's JSON type, which would reorder its keys.
    owner_id                   VARCHAR(128) COLLATE utf8mb4_bin,
    metadata                   LONGTEXT     COLLATE utf8mb4_bin,
    allowed_ips                TEXT         COLLATE utf8mb4_bin,
    allowed_origins            TEXT         COLLATE utf8mb4_bin,
    remaining                  BIGINT,
    refill_amount              BIGINT,
    refill_interval            VARCHAR(16)  CHARACTER SET ascii COLLATE ascii_bin,
    last_refill_at             DATETIME(6),
    rotated_at                 DATETIME(6),
    previous_key_hash          VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin,
    previous_secret_expires_at DATETIME(6),
    rate_limits                TEXT         COLLATE utf8mb4_bin,
    PRIMARY KEY (id),
    CONSTRAINT uq_api_keys_key_id UNIQUE (key_id),
    CONSTRAINT uq_api_keys_key_hash UNIQUE (key_hash),
    INDEX ix_api_keys_created_at (created_at),
    INDEX ix_api_keys_owner_id (owner_id),
    -- The management search's filters and orders (schema-postgresql.sql says which). InnoDB appends the primary key
    -- to every secondary index, so the id that breaks ties in listings is already in each, and a descending listing
    -- puts NULLs last without Hibernate's CASE emulation, so these serve the default order, created_at DESC.
    -- No index on last_used_at, unlike the other platforms: with one, InnoDB deadlocks concurrent last-used writes
    -- to the same key (the store contract's concurrent record-use test fails every time on MariaDB 10.11).
    INDEX ix_api_keys_created_at_desc (created_at DESC),
    INDEX ix_api_keys_is_active (is_active, created_at DESC),
    INDEX ix_api_keys_expires_at (expires_at),
    INDEX ix_api_keys_name (name)
) DEFAULT CHARSET = utf8mb4;
