package io.github.apikey.spring.autoconfigure;

import io.github.apikey.core.audit.ApiKeyActorResolver;
import io.github.apikey.core.audit.ApiKeyEventListener;
import io.github.apikey.core.cache.CaffeineVerifiedKeyCache;
import io.github.apikey.core.cache.VerifiedKeyCache;
import io.github.apikey.core.format.ApiKeyFormat;
import io.github.apikey.core.hash.ApiKeyHasher;
import io.github.apikey.core.hash.Argon2ApiKeyHasher;
import io.github.apikey.core.hash.BCryptApiKeyHasher;
import io.github.apikey.core.hash.ConcurrencyLimitedHasher;
import io.github.apikey.core.hash.HmacSha256ApiKeyHasher;
import io.github.apikey.core.observation.VerificationObserver;
import io.github.apikey.core.ratelimit.Bucket4jRateLimiter;
import io.github.apikey.core.ratelimit.RateLimitPolicy;
import io.github.apikey.core.ratelimit.RateLimiter;
import io.github.apikey.core.service.ApiKeyService;
import io.github.apikey.core.store.ApiKeyEventStore;
import io.github.apikey.core.store.ApiKeyStore;
import io.github.apikey.core.store.InMemoryApiKeyEventStore;
import io.github.apikey.core.store.InMemoryApiKeyStore;
import io.github.apikey.core.usage.CoalescingUsageRecorder;
import io.github.apikey.core.usage.UsageRecorder;
import io.github.apikey.spring.audit.ApiKeyEventPurgeSchedule;
import io.github.apikey.spring.audit.ApplicationEventApiKeyEventListener;
import io.github.apikey.spring.audit.SecurityContextApiKeyActorResolver;
import io.github.apikey.spring.cache.TransactionAwareVerifiedKeyCache;

import java.time.Clock;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Lazy;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;

/**
 * The API key service and what it needs: key format, peppered hasher and, when no other store is defined, an
 * in-memory store. Every bean backs off when the application defines its own.
 */
@AutoConfiguration(after = ApiKeyJpaAutoConfiguration.class)
@EnableConfigurationProperties(ApiKeyProperties.class)
public final class ApiKeyAutoConfiguration {

    private static final String BCRYPT_LIBRARY_CLASS = "at.favre.lib.crypto.bcrypt.BCrypt";
    private static final String TRANSACTION_SYNCHRONIZATION_CLASS =
            "org.springframework.transaction.support.TransactionSynchronizationManager";

    private static final Logger log = LoggerFactory.getLogger(ApiKeyAutoConfiguration.class);

    @Bean
    @ConditionalOnMissingBean
    ApiKeyFormat apiKeyFormat(ApiKeyProperties properties) {
        return new ApiKeyFormat(properties.getPrefix(), properties.getSeparator());
    }

    /**
     * Lazy, so that only an application that verifies keys with it needs a pepper: the starter's service asks for it
     * at start-up, while a test that mocks {@code ApiKeyService} never does.
     */
    @Bean
    @Lazy
    @ConditionalOnMissingBean
    ApiKeyHasher apiKeyHasher(ApiKeyProperties properties, ResourceLoader resourceLoader) {
        String pepper = properties.getPepper();
        if (!StringUtils.hasText(pepper)) {
            throw InvalidPepperException.missing();
        }
        if (pepper.length() < InvalidPepperException.MINIMUM_LENGTH) {
            throw InvalidPepperException.tooShort(pepper.length());
        }
        ApiKeyProperties.Hasher hasher = properties.getHasher();
        return switch (hasher.getType()) {
            case ARGON2 -> new Argon2ApiKeyHasher(pepper, hasher.getArgon2().toCost());
            case BCRYPT -> {
                if (!ClassUtils.isPresent(BCRYPT_LIBRARY_CLASS, resourceLoader.getClassLoader())) {
                    throw new IllegalStateException("api-key.hasher.type=bcrypt needs the library "
                            + "at.favre.lib:bcrypt on the class path; add it as a dependency");
                }
                yield new BCryptApiKeyHasher(pepper, hasher.getBcrypt().getCost());
            }
            case HMAC_SHA256 -> new HmacSha256ApiKeyHasher(pepper);
        };
    }

    @Bean
    @ConditionalOnMissingBean
    ApiKeyStore apiKeyStore() {
        log.warn("No JPA EntityManagerFactory is available, so API keys are kept in memory and lost when the "
                + "application stops. Add spring-boot-starter-data-jpa and a database (for example H2, PostgreSQL or "
                + "MariaDB) to keep them.");
        return new InMemoryApiKeyStore();
    }

    /**
     * The audit trail in memory, beside the in-memory key store. Beside a key store of the application's own it
     * would lose every event at shutdown while the keys stay, and give each instance a chain of its own: said once,
     * at start-up.
     */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBooleanProperty(name = "api-key.audit.enabled", matchIfMissing = true)
    ApiKeyEventStore apiKeyEventStore(ObjectProvider<ApiKeyStore> keyStores) {
        ApiKeyStore keyStore = keyStores.getIfUnique();
        if (keyStore != null && !(keyStore instanceof InMemoryApiKeyStore)) {
            log.warn("API keys are kept by the application's {}, but their audit trail (api-key.audit.enabled) is "
                    + "kept in memory: its events are lost when the application stops and each instance keeps a "
                    + "chain of its own. Define an ApiKeyEventStore bean that stores events beside the keys, or set "
                    + "api-key.audit.enabled=false.", keyStore.getClass().getName());
        }
        return new InMemoryApiKeyEventStore();
    }

    @Bean
    @ConditionalOnMissingBean
    ApiKeyActorResolver apiKeyActorResolver() {
        return new SecurityContextApiKeyActorResolver();
    }

    @Bean
    @ConditionalOnMissingBean
    ApiKeyEventListener apiKeyEventListener(ApplicationEventPublisher publisher) {
        return new ApplicationEventApiKeyEventListener(publisher);
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBooleanProperty(name = "api-key.audit.enabled", matchIfMissing = true)
    ApiKeyEventPurgeSchedule apiKeyEventPurgeSchedule(ApiKeyService service, ApiKeyProperties properties) {
        ApiKeyProperties.Audit audit = properties.getAudit();
        return new ApiKeyEventPurgeSchedule(service, audit.getRetention(),
                audit.isPurgeScheduled() ? audit.getPurgeCron() : null);
    }

    @Bean
    @ConditionalOnMissingBean
    ApiKeyAdminBootstrap apiKeyAdminBootstrap(ApiKeyService service, ApiKeyProperties properties) {
        return new ApiKeyAdminBootstrap(service, properties);
    }

    @Bean
    @ConditionalOnMissingBean
    VerifiedKeyCache apiKeyVerifiedKeyCache(ApiKeyProperties properties) {
        ApiKeyProperties.Cache cache = properties.getCache();
        if (cache.getInvalidation() == ApiKeyProperties.Invalidation.REDIS) {
            throw new IllegalStateException("api-key.cache.invalidation=redis needs Spring Data Redis "
                    + "(spring-boot-starter-data-redis) and a RedisConnectionFactory, and neither is available");
        }
        return cache.isEnabled() ? new CaffeineVerifiedKeyCache(cache.getTtl(), cache.getMaximumSize())
                : VerifiedKeyCache.NONE;
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean(UsageRecorder.class)
    CoalescingUsageRecorder apiKeyUsageRecorder(ApiKeyStore store, ApiKeyProperties properties) {
        return new CoalescingUsageRecorder(store, properties.getLastUsed().getFlushInterval());
    }

    @Bean
    @ConditionalOnMissingBean
    ApiKeyUsageFlushLifecycle apiKeyUsageFlushLifecycle(ObjectProvider<UsageRecorder> recorders) {
        return new ApiKeyUsageFlushLifecycle(recorders);
    }

    @Bean
    @ConditionalOnClass(name = "org.h2.Driver")
    H2CloseOnExitCheck apiKeyH2CloseOnExitCheck(ObjectProvider<DataSource> dataSources,
                                                Environment environment) {
        return new H2CloseOnExitCheck(dataSources, environment);
    }

    /** Which limits apply to keys without their own: {@code api-key.rate-limit.default} and {@code .scopes}. */
    @Bean
    @ConditionalOnMissingBean
    RateLimitPolicy apiKeyRateLimitPolicy(ApiKeyProperties properties) {
        return properties.getRateLimit().toPolicy();
    }

    /**
     * Bucket4j in this instance's memory. With {@code api-key.rate-limit.store=redis},
     * {@link ApiKeyRedisRateLimitAutoConfiguration} defines the limiter instead; reaching this method then means that
     * what it needs is missing, and starting with budgets per instance would silently multiply every limit. Lazy, so
     * that this fails the start-up of an application whose service verifies keys, not a {@code @WebMvcTest} slice
     * that mocks the service (and loads no Redis).
     */
    @Bean
    @Lazy
    @ConditionalOnMissingBean
    RateLimiter apiKeyRateLimiter(ApiKeyProperties properties) {
        if (properties.getRateLimit().getStore() == ApiKeyProperties.RateLimitStore.REDIS) {
            throw new IllegalStateException("api-key.rate-limit.store=redis needs Spring Data Redis with Lettuce "
                    + "(spring-boot-starter-data-redis, which defines a LettuceConnectionFactory) and "
                    + "com.bucket4j:bucket4j_jdk17-lettuce on the class path; one of them is missing");
        }
        return new Bucket4jRateLimiter();
    }

    /**
     * Hashing is bounded whichever hasher the application chose, and cache invalidations hold inside the
     * application's transactions whichever cache it chose.
     */
    @Bean
    @ConditionalOnMissingBean
    ApiKeyService apiKeyService(ApiKeyStore store, ApiKeyHasher hasher, ApiKeyFormat format,
                                VerifiedKeyCache cache, UsageRecorder usageRecorder, ApiKeyProperties properties,
                                RateLimiter rateLimiter, RateLimitPolicy rateLimitPolicy,
                                ObjectProvider<Clock> clock, ResourceLoader resourceLoader,
                                ObjectProvider<ApiKeyEventStore> events, ObjectProvider<ApiKeyActorResolver> actors,
                                ObjectProvider<ApiKeyEventListener> eventListener,
                                ObjectProvider<VerificationObserver> observers) {
        ApiKeyProperties.Hasher limits = properties.getHasher();
        int maxConcurrent = limits.getMaxConcurrent() != null ? limits.getMaxConcurrent()
                : Runtime.getRuntime().availableProcessors();
        ApiKeyHasher bounded = new ConcurrencyLimitedHasher(hasher, maxConcurrent, limits.getMaxWait());
        boolean transactions = ClassUtils.isPresent(TRANSACTION_SYNCHRONIZATION_CLASS, resourceLoader.getClassLoader());
        return ApiKeyService.builder(store, bounded).format(format).clock(clock.getIfAvailable(Clock::systemUTC))
                .cache(transactions ? new TransactionAwareVerifiedKeyCache(cache) : cache)
                .usageRecorder(usageRecorder)
                .maxMetadataBytes((int) properties.getMetadata().getMaxSize().toBytes())
                .maxGracePeriod(properties.getRotation().getMaxGracePeriod())
                .rateLimiter(rateLimiter).rateLimitPolicy(rateLimitPolicy)
                .audit(properties.getAudit().isEnabled() ? events.getIfUnique() : null)
                .actorResolver(actors.getIfUnique(() -> ApiKeyActorResolver.SYSTEM))
                .eventListener(eventListener.getIfUnique(() -> ApiKeyEventListener.NONE))
                .observer(observers.orderedStream().reduce(VerificationObserver.NONE, VerificationObserver::both))
                .build();
    }
}
