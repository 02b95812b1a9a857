-- Upgrades an API key installation of schema version 2 (MariaDB and MySQL) to version 3: adds the audit trail's tables.
-- Idempotent: safe to run again. The starter runs it at start-up when api-key.jdbc.initialize-schema lets it create the
-- schema; else run it yourself, with api_key_events replaced by <table>_events if you set api-key.jdbc.table-name.
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
