-- Bulk-loads :count API keys into an empty api_keys table (PostgreSQL), for the scale benchmark (ScaleBenchmark).
-- Also runs in psql:  psql -v count=1000000 -v pepper=<the pepper> -f load-keys-postgresql.sql
-- Key n has key id md5('k' || n)[1..16] and secret md5('s' || n) || md5('t' || n), so the benchmark can rebuild any
-- plaintext from n. Hashes are in HmacSha256ApiKeyHasher's stored form, '$hmac-sha256$' and the unpadded Base64 of
-- HMAC-SHA256(pepper, secret), computed here by pgcrypto: verification then costs a microsecond and the benchmark
-- measures the database, not the hash.
-- Distribution (by n): every 10th key inactive; odd keys expire, from a year ago to a year ahead; every 3rd key never
-- used, the others used within 90 days; created over two years; 10,000 owners; a quarter of keys with scope 'write'.
-- Expiry and creation are correlated: a key that expires does so 365 days after its creation, as with a fixed time
-- to live, so the keys expiring soon were created about a year ago and lie far down the index on creation.
-- So a key with even n not divisible by 10 is active and never expires: the benchmark verifies those.
CREATE EXTENSION IF NOT EXISTS pgcrypto;
INSERT INTO api_keys (id, name, description, is_active, expires_at, created_at, last_used_at, key_id, key_hash,
                      key_secret_first, key_secret_last, scopes, owner_id)
SELECT md5('id' || n)::uuid::text,
       'key-' || n,
       NULL,
       n % 10 <> 0,
       CASE WHEN n % 2 = 1 THEN now() - (n % 730) * interval '1 day' - (n % 86400) * interval '1 second'
                               + interval '365 days' END,
       now() - (n % 730) * interval '1 day' - (n % 86400) * interval '1 second',
       CASE WHEN n % 3 <> 0 THEN now() - (n % 90) * interval '1 day' - (n % 86400) * interval '1 second' END,
       substr(md5('k' || n), 1, 16),
       '$hmac-sha256$' || rtrim(encode(hmac(md5('s' || n) || md5('t' || n), :'pepper', 'sha256'), 'base64'), '='),
       substr(md5('s' || n), 1, 4),
       right(md5('t' || n), 4),
       CASE WHEN n % 4 = 0 THEN '["read","write"]' ELSE '["read"]' END,
       'owner-' || (n % 10000)
FROM generate_series(1, :count) AS n;
