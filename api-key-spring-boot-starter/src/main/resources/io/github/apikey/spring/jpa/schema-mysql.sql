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
-- Audit trail (schema version 3; upgrade-2-to-3-mysql.sql adds it to an older installation): one row per
-- management operation, each holding the SHA-256 of the one before (event_hash over a canonical form, see
-- "Audit trail" in the README), never a secret or a key hash. The head row holds the last link; appends lock it (SELECT ...
-- FOR UPDATE), so the chain stays linear across instances. With a custom api-key.jdbc.table-name the tables are
-- <table>_events and <table>_events_head.
CREATE TABLE IF NOT EXISTS api_key_events (
    seq            BIGINT       NOT NULL,
    occurred_at    DATETIME(6)  NOT NULL,
    action         VARCHAR(16)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    outcome        VARCHAR(16)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    api_key_id     VARCHAR(36)  CHARACTER SET ascii COLLATE ascii_bin,
    key_id         VARCHAR(16)  CHARACTER SET ascii COLLATE ascii_bin,
    actor_type     VARCHAR(16)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    actor          VARCHAR(255) COLLATE utf8mb4_bin NOT NULL,
    client_address VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin,
    details        LONGTEXT     COLLATE utf8mb4_bin NOT NULL,
    previous_hash  VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    event_hash     VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    PRIMARY KEY (seq),
    INDEX ix_api_key_events_api_key_id (api_key_id, seq),
    INDEX ix_api_key_events_occurred_at (occurred_at),
    INDEX ix_api_key_events_actor (actor, seq)
) DEFAULT CHARSET = utf8mb4;
CREATE TABLE IF NOT EXISTS api_key_events_head (
    chain     VARCHAR(16) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    last_seq  BIGINT      NOT NULL,
    last_hash VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    PRIMARY KEY (chain)
) DEFAULT CHARSET = utf8mb4;
INSERT IGNORE INTO api_key_events_head (chain, last_seq, last_hash) VALUES ('main', 0, '0000000000000000000000000000000000000000000000000000000000000000');
