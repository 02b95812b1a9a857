package io.github.apikey.spring.autoconfigure;

import io.github.apikey.core.domain.RateLimit;
import io.github.apikey.core.error.ApiKeyValidationException;
import io.github.apikey.core.error.InvalidKeyException;
import io.github.apikey.core.format.ApiKeyFormat;
import io.github.apikey.core.hash.Argon2Cost;
import io.github.apikey.core.ratelimit.RateLimitPolicy;
import io.github.apikey.core.service.ApiKeyRules;
import io.github.apikey.spring.jpa.ApiKeyTableName;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.DeprecatedConfigurationProperty;
import org.springframework.boot.convert.DurationUnit;
import org.springframework.util.StringUtils;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * Settings of the API key starter. Defaults are written as literals so that IDEs show them; a test keeps them equal
 * to the core's.
 *
 * <p>Validated when bound, so that a wrong value fails start-up naming its property and the values it may take.
 * Errors about the pepper and the bootstrap admin key never repeat their values.
 */
@ConfigurationProperties("api-key")
public class ApiKeyProperties implements Validator {

    /**
     * Server-side secret mixed into every key hash; required. Set it through the environment variable
     * API_KEY_PEPPER rather than a file under version control. Changing it invalidates every stored key.
     */
    private String pepper;

    /**
     * Prefix of every key, for example 'sk_live'; must not contain the separator.
     */
    private String prefix = "ak_v1";

    /**
     * Separator between prefix, key id and secret; must not contain letters or digits.
     */
    private String separator = "-";

    /**
     * Scope a key needs to use the management API; the default security chain requires it for the base path.
     */
    private String adminScope = "api-keys:admin";

    /**
     * How long before its expiry a key is answered with the 'Sunset' header (RFC 8594) that tells its client when it
     * stops working; 0 turns the header off.
     */
    private Duration expiryWarning = Duration.ofDays(7);

    private final Hasher hasher = new Hasher();

    private final Metadata metadata = new Metadata();

    private final Rotation rotation = new Rotation();

    private final Jdbc jdbc = new Jdbc();

    private final Security security = new Security();

    private final Web web = new Web();

    private final Bootstrap bootstrap = new Bootstrap();

    private final Cache cache = new Cache();

    private final LastUsed lastUsed = new LastUsed();

    private final Metrics metrics = new Metrics();

    private final Observations observations = new Observations();

    private final RateLimits rateLimit = new RateLimits();

    private final Audit audit = new Audit();

    private final Hashing hashing = new Hashing();

    public String getPepper() {
        return pepper;
    }

    public void setPepper(String pepper) {
        this.pepper = pepper;
    }

    public String getPrefix() {
        return prefix;
    }

    public void setPrefix(String prefix) {
        this.prefix = prefix;
    }

    public String getSeparator() {
        return separator;
    }

    public void setSeparator(String separator) {
        this.separator = separator;
    }

    public String getAdminScope() {
        return adminScope;
    }

    public void setAdminScope(String adminScope) {
        this.adminScope = adminScope;
    }

    public Duration getExpiryWarning() {
        return expiryWarning;
    }

    public void setExpiryWarning(Duration expiryWarning) {
        this.expiryWarning = expiryWarning;
    }

    public Hasher getHasher() {
        return hasher;
    }

    public Metadata getMetadata() {
        return metadata;
    }

    public Rotation getRotation() {
        return rotation;
    }

    public Audit getAudit() {
        return audit;
    }

    public Security getSecurity() {
        return security;
    }

    public Web getWeb() {
        return web;
    }

    public Bootstrap getBootstrap() {
        return bootstrap;
    }

    public Cache getCache() {
        return cache;
    }

    public LastUsed getLastUsed() {
        return lastUsed;
    }

    public Metrics getMetrics() {
        return metrics;
    }

    public Observations getObservations() {
        return observations;
    }

    public Hashing getHashing() {
        return hashing;
    }

    public RateLimits getRateLimit() {
        return rateLimit;
    }

    public Jdbc getJdbc() {
        return jdbc;
    }

    @Override
    public boolean supports(Class<?> type) {
        return ApiKeyProperties.class.isAssignableFrom(type);
    }

    @Override
    public void validate(Object target, Errors errors) {
        ApiKeyProperties properties = (ApiKeyProperties) target;
        ApiKeyFormat format = properties.validateFormat(errors);
        properties.validateBootstrapKey(format, errors);
        if (!ApiKeyRules.SCOPE_PATTERN.matcher(String.valueOf(properties.adminScope)).matches()) {
            reject(errors, "admin-scope", "must match " + ApiKeyRules.SCOPE_PATTERN.pattern() + ", was '"
                    + properties.adminScope + "'");
        }
        properties.hasher.validate(errors);
        properties.jdbc.validate(errors);
        properties.web.validate(errors);
        properties.cache.validate(errors);
        requirePositive(errors, "last-used.flush-interval", properties.lastUsed.flushInterval);
        requireZeroOrPositive(errors, "expiry-warning", properties.expiryWarning, "7d");
        properties.metadata.validate(errors);
        requireZeroOrPositive(errors, "rotation.max-grace-period", properties.rotation.maxGracePeriod, "30d");
        properties.rateLimit.validate(errors);
        properties.audit.validate(errors);
    }

    private ApiKeyFormat validateFormat(Errors errors) {
        try {
            return new ApiKeyFormat(prefix, separator);
        } catch (IllegalArgumentException | NullPointerException invalid) {
            String property = invalid.getMessage() != null && invalid.getMessage().startsWith("API key separator")
                    ? "separator" : "prefix";
            reject(errors, property, "is invalid: " + invalid.getMessage());
            return null;
        }
    }

    /** The message does not repeat the value: it is a secret. */
    private void validateBootstrapKey(ApiKeyFormat format, Errors errors) {
        if (format == null || !StringUtils.hasText(bootstrap.adminKey)) {
            return;
        }
        try {
            format.parse(bootstrap.adminKey.strip());
        } catch (InvalidKeyException malformed) {
            reject(errors, "bootstrap.admin-key", "is not a full API key of this application's format ("
                    + format.getPrefix() + format.getSeparator() + "<16 lowercase hex characters>"
                    + format.getSeparator() + "<64 letters and digits>)");
        }
    }

    /**
     * Errors name the property in its canonical form; they are global errors so that Spring Boot's failure report
     * does not print the raw value, which for two properties is a secret.
     */
    private static void reject(Errors errors, String property, String problem) {
        errors.reject("invalid", "api-key." + property + " " + problem);
    }

    private static void requirePositive(Errors errors, String property, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            reject(errors, property, "must be a positive duration, for example 30s, was " + value);
        }
    }

    private static void requireZeroOrPositive(Errors errors, String property, Duration value, String example) {
        if (value == null || value.isNegative()) {
            reject(errors, property, "must be zero or a positive duration, for example " + example + ", was "
                    + value);
        }
    }

    private static void requireAtLeast(Errors errors, String property, Number value, long minimum) {
        if (value != null && value.longValue() < minimum) {
            reject(errors, property, "must be at least " + minimum + ", was " + value);
        }
    }

    /** Leaves the pepper out: this object may be logged or shown by actuator. */
    @Override
    public String toString() {
        return "ApiKeyProperties[prefix=" + prefix + ", separator=" + separator + ", pepper="
                + (pepper == null ? "<unset>" : "<redacted>") + "]";
    }

    public static class Metadata {

        /** Smallest size a limit may have: the empty JSON object, '{}'. */
        private static final long MINIMUM_BYTES = 2;

        /**
         * Largest metadata document a key may hold, measured as compact UTF-8 JSON; a create or change with more is
         * answered 400.
         */
        private DataSize maxSize = DataSize.ofKilobytes(4);

        public DataSize getMaxSize() {
            return maxSize;
        }

        public void setMaxSize(DataSize maxSize) {
            this.maxSize = maxSize;
        }

        void validate(Errors errors) {
            if (maxSize == null || maxSize.toBytes() < MINIMUM_BYTES || maxSize.toBytes() > Integer.MAX_VALUE) {
                reject(errors, "metadata.max-size", "must be from " + MINIMUM_BYTES + "B to " + Integer.MAX_VALUE
                        + "B, for example 4KB, was " + maxSize);
            }
        }
    }

    public static class Audit {

        /**
         * Whether management operations are recorded in the audit trail (the api_key_events table, or memory), published
         * as application events and, with an AuditEventRepository, as Spring Boot audit events.
         */
        private boolean enabled = true;

        /**
         * How long events are kept; older ones are deleted by the scheduled purge, which records itself so that the
         * chain stays verifiable. 0 keeps none but the purge's own event.
         */
        private Duration retention = Duration.ofDays(365);

        /**
         * When the purge runs: a Spring cron expression (six fields, in the server's time zone), or '-' for never.
         * Every instance may run it; the chain's lock lets one delete and the others find nothing left to delete.
         */
        private String purgeCron = "0 0 3 * * *";

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public Duration getRetention() {
            return retention;
        }

        public void setRetention(Duration retention) {
            this.retention = retention;
        }

        public String getPurgeCron() {
            return purgeCron;
        }

        public void setPurgeCron(String purgeCron) {
            this.purgeCron = purgeCron;
        }

        /** Whether the purge is scheduled at all. */
        public boolean isPurgeScheduled() {
            return !"-".equals(purgeCron);
        }

        void validate(Errors errors) {
            requireZeroOrPositive(errors, "audit.retention", retention, "365d");
            if (isPurgeScheduled() && (purgeCron == null
                    || !org.springframework.scheduling.support.CronExpression.isValidExpression(purgeCron))) {
                reject(errors, "audit.purge-cron", "must be a cron expression of six fields (second minute hour "
                        + "day-of-month month day-of-week, as in 0 0 3 * * *) or '-', was '" + purgeCron + "'");
            }
        }
    }

    public static class Rotation {

        /**
         * Longest grace period a rotation may give a key's previous secret; a rotation asking for more is answered
         * 400.
         */
        private Duration maxGracePeriod = Duration.ofDays(30);

        public Duration getMaxGracePeriod() {
            return maxGracePeriod;
        }

        public void setMaxGracePeriod(Duration maxGracePeriod) {
            this.maxGracePeriod = maxGracePeriod;
        }
    }

    public enum HasherType {

        /** Argon2id, keyshield-compatible; the default. */
        ARGON2,

        /** BCrypt over HMAC-SHA256 of the secret. */
        BCRYPT,

        /** HMAC-SHA256 only: sub-microsecond verification, sound for generated keys only. */
        HMAC_SHA256
    }

    public static class Hasher {

        /**
         * Hash scheme for new keys.
         */
        private HasherType type = HasherType.ARGON2;

        private final Argon2 argon2 = new Argon2();

        private final Bcrypt bcrypt = new Bcrypt();

        /**
         * Most verifications of uncached keys (key-id lookup and hash) at once; defaults to the number of
         * processors. Argon2id at its default cost takes a core and 64 MiB for each.
         */
        private Integer maxConcurrent;

        /**
         * How long a verification waits for a free hash slot before the request is answered 503.
         */
        private Duration maxWait = Duration.ofSeconds(1);

        public HasherType getType() {
            return type;
        }

        public Integer getMaxConcurrent() {
            return maxConcurrent;
        }

        public void setMaxConcurrent(Integer maxConcurrent) {
            this.maxConcurrent = maxConcurrent;
        }

        public Duration getMaxWait() {
            return maxWait;
        }

        public void setMaxWait(Duration maxWait) {
            this.maxWait = maxWait;
        }

        void validate(Errors errors) {
            try {
                argon2.toCost();
            } catch (IllegalArgumentException invalid) {
                reject(errors, "hasher.argon2", "is invalid: " + invalid.getMessage());
            }
            if (bcrypt.cost < 4 || bcrypt.cost > 31) {
                reject(errors, "hasher.bcrypt.cost", "must be between 4 and 31, was " + bcrypt.cost);
            }
            requireAtLeast(errors, "hasher.max-concurrent", maxConcurrent, 1);
            if (maxWait == null || maxWait.isNegative()) {
                reject(errors, "hasher.max-wait", "must be zero or a positive duration, for example 1s, was "
                        + maxWait);
            }
        }

        public void setType(HasherType type) {
            this.type = type;
        }

        public Argon2 getArgon2() {
            return argon2;
        }

        public Bcrypt getBcrypt() {
            return bcrypt;
        }
    }

    public static class Argon2 {

        /**
         * Memory per hash in KiB (m).
         */
        private int memoryKib = 65536;

        /**
         * Passes over memory (t).
         */
        private int iterations = 3;

        /**
         * Lanes (p).
         */
        private int parallelism = 4;

        public int getMemoryKib() {
            return memoryKib;
        }

        public void setMemoryKib(int memoryKib) {
            this.memoryKib = memoryKib;
        }

        public int getIterations() {
            return iterations;
        }

        public void setIterations(int iterations) {
            this.iterations = iterations;
        }

        public int getParallelism() {
            return parallelism;
        }

        public void setParallelism(int parallelism) {
            this.parallelism = parallelism;
        }

        public Argon2Cost toCost() {
            return new Argon2Cost(memoryKib, iterations, parallelism);
        }
    }

    public static class Bcrypt {

        /**
         * BCrypt work factor, from 4 to 31.
         */
        private int cost = 10;

        public int getCost() {
            return cost;
        }

        public void setCost(int cost) {
            this.cost = cost;
        }
    }

    /** When the starter creates the key table. */
    public enum SchemaInitialization {

        /** Only on in-memory (embedded) databases. */
        EMBEDDED,

        /** At every start-up; the scripts are idempotent. */
        ALWAYS,

        /** Never: Flyway, Liquibase or a DBA owns the schema. */
        NEVER
    }

    public static class Jdbc {

        private static final List<String> SCRIPT_PLATFORMS = List.of("h2", "postgresql", "mysql");

        /**
         * Whether to create the key table at start-up: 'embedded' (in-memory databases only), 'always' (the
         * script is idempotent) or 'never' (Flyway, Liquibase or a DBA owns the schema).
         */
        private SchemaInitialization initializeSchema = SchemaInitialization.EMBEDDED;

        /**
         * Name of the key table, optionally schema-qualified.
         */
        private String tableName = "api_keys";

        /**
         * Platform of the schema script (h2, postgresql, mysql); detected from the DataSource when unset.
         */
        private String platform;

        public SchemaInitialization getInitializeSchema() {
            return initializeSchema;
        }

        public void setInitializeSchema(SchemaInitialization initializeSchema) {
            this.initializeSchema = initializeSchema;
        }

        public String getTableName() {
            return tableName;
        }

        public void setTableName(String tableName) {
            this.tableName = tableName;
        }

        public String getPlatform() {
            return platform;
        }

        public void setPlatform(String platform) {
            this.platform = platform;
        }

        void validate(Errors errors) {
            try {
                ApiKeyTableName.require(tableName);
            } catch (IllegalArgumentException invalid) {
                errors.reject("invalid", invalid.getMessage());
            }
            if (platform != null && !SCRIPT_PLATFORMS.contains(platform)) {
                reject(errors, "jdbc.platform", "must be one of " + String.join(", ", SCRIPT_PLATFORMS) + ", was '"
                        + platform + "'");
            }
        }
    }

    public static class Security {

        /**
         * Realm named in WWW-Authenticate challenges.
         */
        private String realm = "api";

        /**
         * Header that carries only API keys, for example 'X-API-Key'; unset, keys are read from
         * 'Authorization: Bearer' only.
         */
        private String headerName;

        public String getRealm() {
            return realm;
        }

        public void setRealm(String realm) {
            this.realm = realm;
        }

        public String getHeaderName() {
            return headerName;
        }

        public void setHeaderName(String headerName) {
            this.headerName = headerName;
        }
    }

    public static class Web {

        /**
         * Whether to contribute the key management API.
         */
        private boolean enabled = true;

        /**
         * Base path of the key management API.
         */
        private String basePath = "/api-keys";

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public String getBasePath() {
            return basePath;
        }

        public void setBasePath(String basePath) {
            this.basePath = basePath;
        }

        void validate(Errors errors) {
            if (basePath == null || !basePath.startsWith("/") || basePath.length() < 2 || basePath.endsWith("/")) {
                reject(errors, "web.base-path", "must start with '/' and not end with '/', for example /api-keys, "
                        + "was '" + basePath + "'");
            }
        }
    }

    public static class Bootstrap {

        /**
         * Full API key to import with the admin scope at start-up, on a fresh installation only: when the key table
         * holds no key at all, so a bootstrap key deleted later is never imported again. Imported before the web
         * server accepts requests. Keep it in a secret store, like the pepper.
         */
        private String adminKey;

        /**
         * Whether to create an admin key at start-up when the key table holds no key at all, and log it once. Meant
         * for development: the key appears in the log.
         */
        private boolean generateAdminKey;

        public String getAdminKey() {
            return adminKey;
        }

        public void setAdminKey(String adminKey) {
            this.adminKey = adminKey;
        }

        public boolean isGenerateAdminKey() {
            return generateAdminKey;
        }

        public void setGenerateAdminKey(boolean generateAdminKey) {
            this.generateAdminKey = generateAdminKey;
        }

        @Override
        public String toString() {
            return "Bootstrap[adminKey=" + (adminKey == null ? "<unset>" : "<redacted>") + ", generateAdminKey="
                    + generateAdminKey + "]";
        }
    }

    public enum Invalidation {

        /**
         * Changes evict only this instance's cache; others may accept a revoked key until their entry is renewed.
         */
        NONE,

        /** Changes are published on Redis and every instance evicts its entry at once. */
        REDIS
    }

    public static class Cache {

        /**
         * Whether to cache verified keys, so that a key's hash is checked once per time-to-live instead of on every
         * request.
         */
        private boolean enabled = true;

        /**
         * How long a verified key is served from the cache before its row is read again (without hashing); without
         * Redis invalidation, also how long other instances may accept a key after it was revoked.
         */
        private Duration ttl = Duration.ofMinutes(1);

        /**
         * Most keys held in the cache.
         */
        private long maximumSize = 10_000;

        /**
         * How changes reach the caches of other instances: 'none' or 'redis' (needs Spring Data Redis).
         */
        private Invalidation invalidation = Invalidation.NONE;

        /**
         * Redis channel for invalidations.
         */
        private String redisChannel = "api-key:invalidations";

        /**
         * Longest wait between attempts to subscribe again to Redis invalidations after Redis was lost or was down
         * at start-up; with Lettuce, also caps its reconnect delay. Each instance drops its cached keys when it
         * subscribes again, so a key revoked during an outage is refused within about this long of Redis returning.
         */
        private Duration redisRecoveryInterval = Duration.ofSeconds(1);

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public Duration getTtl() {
            return ttl;
        }

        public void setTtl(Duration ttl) {
            this.ttl = ttl;
        }

        public long getMaximumSize() {
            return maximumSize;
        }

        public void setMaximumSize(long maximumSize) {
            this.maximumSize = maximumSize;
        }

        public Invalidation getInvalidation() {
            return invalidation;
        }

        public void setInvalidation(Invalidation invalidation) {
            this.invalidation = invalidation;
        }

        public String getRedisChannel() {
            return redisChannel;
        }

        public void setRedisChannel(String redisChannel) {
            this.redisChannel = redisChannel;
        }

        public Duration getRedisRecoveryInterval() {
            return redisRecoveryInterval;
        }

        public void setRedisRecoveryInterval(Duration redisRecoveryInterval) {
            this.redisRecoveryInterval = redisRecoveryInterval;
        }

        void validate(Errors errors) {
            requirePositive(errors, "cache.ttl", ttl);
            requireAtLeast(errors, "cache.maximum-size", maximumSize, 1);
            if (!StringUtils.hasText(redisChannel)) {
                reject(errors, "cache.redis-channel", "must not be empty");
            }
            requirePositive(errors, "cache.redis-recovery-interval", redisRecoveryInterval);
        }
    }

    public static class Metrics {

        /** Whether to record API key meters when Micrometer and a MeterRegistry are available. */
        private boolean enabled = true;

        /**
         * Whether verification meters carry the verified key's key id as tag 'key.id'. One time series per key and
         * outcome: turn it on only when the number of keys is small.
         */
        private boolean keyIdTag = false;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public boolean isKeyIdTag() {
            return keyIdTag;
        }

        public void setKeyIdTag(boolean keyIdTag) {
            this.keyIdTag = keyIdTag;
        }
    }

    public static class Observations {

        /**
         * Whether to wrap each verification in a Micrometer Observation 'apikey.verification' when an
         * ObservationRegistry is available, which a tracing bridge reports as a span.
         */
        private boolean enabled = true;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }

    public static class LastUsed {

        /**
         * How often the last-used times of keys are written, one update per used key; uses are kept in memory in
         * between and written on shutdown.
         */
        private Duration flushInterval = Duration.ofSeconds(30);

        public Duration getFlushInterval() {
            return flushInterval;
        }

        public void setFlushInterval(Duration flushInterval) {
            this.flushInterval = flushInterval;
        }
    }

    /** Where rate-limit budgets are kept. */
    public enum RateLimitStore {

        /** In this instance's memory: each instance counts on its own. */
        MEMORY,

        /** On Redis, through Spring Data Redis's Lettuce client: every instance shares one budget per key. */
        REDIS
    }

    /** What a shared rate-limit store that cannot be reached means for requests of limited keys. */
    public enum RateLimitStoreFailure {

        /** Each instance counts in its own memory until the store is back; the default. */
        LOCAL,

        /** Limited keys are answered 503, like keys that cannot be verified. */
        REJECT,

        /** Limited keys are let through uncounted, without rate-limit headers. */
        ALLOW
    }

    public static class RateLimits {

        /** Redis key prefix of the rate-limit buckets, by default. */
        public static final String DEFAULT_REDIS_KEY_PREFIX = "api-key:rate-limit:";

        // Described in additional-spring-configuration-metadata.json: 'default' cannot name a field.
        private List<Limit> defaults = new ArrayList<>();

        /**
         * Limits of keys that have none of their own, by scope: a key gets every limit of every scope it holds, and
         * the defaults only if none of its scopes is listed here. Scopes with a colon are written in brackets, for
         * example api-key.rate-limit.scopes[keys:read][0].name.
         */
        private Map<String, List<Limit>> scopes = new LinkedHashMap<>();

        /**
         * Where budgets are kept: 'memory' (each instance counts on its own) or 'redis' (all instances share one
         * budget per key; needs spring-boot-starter-data-redis with Lettuce and com.bucket4j:bucket4j_jdk17-lettuce).
         */
        private RateLimitStore store = RateLimitStore.MEMORY;

        /**
         * What happens to requests of limited keys while Redis cannot be reached: 'local' (each instance counts in
         * its own memory until Redis is back), 'reject' (answered 503) or 'allow' (let through uncounted).
         */
        private RateLimitStoreFailure onStoreFailure = RateLimitStoreFailure.LOCAL;

        /**
         * Prefix of the Redis keys of the buckets; each bucket is '<prefix><key uuid>:<limits>', so a key whose
         * limits change starts a new budget.
         */
        private String redisKeyPrefix = DEFAULT_REDIS_KEY_PREFIX;

        /**
         * Longest wait for Redis on a request before it is decided as api-key.rate-limit.on-store-failure says.
         */
        private Duration redisTimeout = Duration.ofMillis(250);

        public List<Limit> getDefault() {
            return defaults;
        }

        public void setDefault(List<Limit> defaults) {
            this.defaults = defaults;
        }

        public Map<String, List<Limit>> getScopes() {
            return scopes;
        }

        public void setScopes(Map<String, List<Limit>> scopes) {
            this.scopes = scopes;
        }

        public RateLimitStore getStore() {
            return store;
        }

        public void setStore(RateLimitStore store) {
            this.store = store;
        }

        public RateLimitStoreFailure getOnStoreFailure() {
            return onStoreFailure;
        }

        public void setOnStoreFailure(RateLimitStoreFailure onStoreFailure) {
            this.onStoreFailure = onStoreFailure;
        }

        public String getRedisKeyPrefix() {
            return redisKeyPrefix;
        }

        public void setRedisKeyPrefix(String redisKeyPrefix) {
            this.redisKeyPrefix = redisKeyPrefix;
        }

        public Duration getRedisTimeout() {
            return redisTimeout;
        }

        public void setRedisTimeout(Duration redisTimeout) {
            this.redisTimeout = redisTimeout;
        }

        /** The policy these settings describe; only call once they validated. */
        public RateLimitPolicy toPolicy() {
            Map<String, List<RateLimit>> byScope = new LinkedHashMap<>();
            scopes.forEach((scope, limits) -> byScope.put(scope, toRateLimits(limits)));
            return new RateLimitPolicy(toRateLimits(defaults), byScope);
        }

        private static List<RateLimit> toRateLimits(List<Limit> limits) {
            return limits == null ? List.of()
                    : limits.stream().map(limit -> new RateLimit(limit.name, limit.limit, limit.duration)).toList();
        }

        /** The same rules as a key's own limits, so that a default a key could not have fails start-up. */
        void validate(Errors errors) {
            validateLimits(errors, "rate-limit.default", defaults);
            if (scopes != null) {
                scopes.forEach((scope, limits) -> {
                    if (!ApiKeyRules.SCOPE_PATTERN.matcher(scope).matches()) {
                        reject(errors, "rate-limit.scopes", "keys must be scopes matching "
                                + ApiKeyRules.SCOPE_PATTERN.pattern() + ", but '" + scope + "' is not");
                    }
                    validateLimits(errors, "rate-limit.scopes[" + scope + "]", limits);
                });
            }
            if (!StringUtils.hasText(redisKeyPrefix)) {
                reject(errors, "rate-limit.redis-key-prefix", "must not be empty");
            }
            requirePositive(errors, "rate-limit.redis-timeout", redisTimeout);
        }

        private static void validateLimits(Errors errors, String property, List<Limit> limits) {
            if (limits == null) {
                return;
            }
            for (int i = 0; i < limits.size(); i++) {
                Limit limit = limits.get(i);
                if (limit == null || !StringUtils.hasText(limit.name) || limit.duration == null) {
                    reject(errors, property + "[" + i + "]", "needs a name, a limit and a duration, for example "
                            + "name=requests, limit=100, duration=1m");
                    return;
                }
            }
            try {
                ApiKeyRules.requireRateLimits(toRateLimits(limits), "api-key." + property);
            } catch (ApiKeyValidationException invalid) {
                errors.reject("invalid", invalid.getMessage());
            }
        }
    }

    /** One named budget: at most 'limit' requests in each window of 'duration'. */
    public static class Limit {

        /**
         * Name of the limit in the RateLimit headers, for example 'requests': lowercase letters, digits, '_' and
         * '-', starting with a letter, at most 32 characters.
         */
        private String name;

        /**
         * Requests allowed in each window, at least 1.
         */
        private long limit;

        /**
         * Length of the window, from 1s to 366d; a plain number counts seconds.
         */
        @DurationUnit(ChronoUnit.SECONDS)
        private Duration duration;

        public String getName() {
            return name;
        }

        public void setName(String name) {
            this.name = name;
        }

        public long getLimit() {
            return limit;
        }

        public void setLimit(long limit) {
            this.limit = limit;
        }

        public Duration getDuration() {
            return duration;
        }

        public void setDuration(Duration duration) {
            this.duration = duration;
        }

        @Override
        public String toString() {
            return name + "=" + limit + "/" + duration;
        }
    }

    /**
     * The former group of {@code api-key.hasher.max-concurrent} and {@code max-wait}, kept so that old names work. An
     * inner class without a constructor parameter: given one, the configuration processor took the class for a
     * constructor-bound one and described a bogus {@code api-key.hashing.hasher.*} instead of the deprecated names.
     */
    public class Hashing {

        @Deprecated(since = "0.2.0")
        @DeprecatedConfigurationProperty(replacement = "api-key.hasher.max-concurrent", since = "0.2.0")
        public Integer getMaxConcurrent() {
            return hasher.getMaxConcurrent();
        }

        @Deprecated(since = "0.2.0")
        public void setMaxConcurrent(Integer maxConcurrent) {
            hasher.setMaxConcurrent(maxConcurrent);
        }

        @Deprecated(since = "0.2.0")
        @DeprecatedConfigurationProperty(replacement = "api-key.hasher.max-wait", since = "0.2.0")
        public Duration getMaxWait() {
            return hasher.getMaxWait();
        }

        @Deprecated(since = "0.2.0")
        public void setMaxWait(Duration maxWait) {
            hasher.setMaxWait(maxWait);
        }
    }
}
