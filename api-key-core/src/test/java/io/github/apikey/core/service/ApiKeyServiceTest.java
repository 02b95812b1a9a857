package io.github.apikey.core.service;

import io.github.apikey.core.domain.ApiKey;
import io.github.apikey.core.domain.ApiKeyChanges;
import io.github.apikey.core.error.ApiKeyNotFoundException;
import io.github.apikey.core.error.ApiKeyStoreException;
import io.github.apikey.core.error.ApiKeyValidationException;
import io.github.apikey.core.error.DuplicateApiKeyException;
import io.github.apikey.core.error.InsufficientScopesException;
import io.github.apikey.core.error.InvalidKeyException;
import io.github.apikey.core.error.KeyExpiredException;
import io.github.apikey.core.error.KeyInactiveException;
import io.github.apikey.core.error.KeyNotProvidedException;
import io.github.apikey.core.format.ApiKeyFormat;
import io.github.apikey.core.hash.HmacSha256ApiKeyHasher;
import io.github.apikey.core.store.ApiKeyFilter;
import io.github.apikey.core.store.ApiKeySortField;
import io.github.apikey.core.store.ApiKeyStore;
import io.github.apikey.core.store.InMemoryApiKeyStore;
import io.github.apikey.core.testing.CountingHasher;
import io.github.apikey.core.testing.MutableClock;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ApiKeyServiceTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00.123456789Z");
    /** Times are kept at whole microseconds, as databases keep them. */
    private static final Instant NOW_MICROS = Instant.parse("2026-03-01T12:00:00.123456Z");
    private static final String PEPPER = "service-test-pepper-0123456789abcdef";

    private final MutableClock clock = new MutableClock(NOW);
    private final InMemoryApiKeyStore store = new InMemoryApiKeyStore();
    private final CountingHasher hasher = new CountingHasher(new HmacSha256ApiKeyHasher(PEPPER));
    private ApiKeyService service;

    @BeforeEach
    void setUp() {
        service = new ApiKeyService(store, hasher, new ApiKeyFormat(), clock);
    }

    @Test
    void createReturnsThePlaintextOnceAndStoresOnlyItsHash() {
        CreatedApiKey created = service.create(NewApiKey.named("ci").withDescription("CI pipeline")
                .withScopes(List.of("read", "write")).withExpiresAt(NOW.plus(Duration.ofDays(1))));

        String plaintext = created.plaintext();
        ApiKey key = created.apiKey();
        String secret = plaintext.substring(plaintext.lastIndexOf('-') + 1);
        assertThat(plaintext).matches("ak_v1-[0-9a-f]{16}-[A-Za-z0-9]{64}").contains(key.getKeyId());
        assertThat(key.getKeyHash()).doesNotContain(secret);
        assertThat(key.getSecretFirst()).isEqualTo(secret.substring(0, 4));
        assertThat(key.getSecretLast()).isEqualTo(secret.substring(60));
        assertThat(key.getName()).isEqualTo("ci");
        assertThat(key.getDescription()).isEqualTo("CI pipeline");
        assertThat(key.getScopes()).containsExactly("read", "write");
        assertThat(key.isActive()).isTrue();
        assertThat(key.getCreatedAt()).isEqualTo(NOW_MICROS);
        assertThat(key.getLastUsedAt()).isNull();
        assertThat(store.findById(key.getId())).isPresent();
        assertThat(created.toString()).doesNotContain(plaintext).doesNotContain(secret);
    }

    @Test
    void createCanStartInactive() {
        CreatedApiKey created = service.create(NewApiKey.named("later").withActive(false));

        assertThatThrownBy(() -> service.verify(created.plaintext())).isInstanceOf(KeyInactiveException.class);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"  "})
    void createRequiresAName(String name) {
        assertValidationError(() -> service.create(NewApiKey.named(name)), "name");
    }

    @Test
    void createLimitsNameAndDescriptionLength() {
        service.create(NewApiKey.named("n".repeat(128)).withDescription("d".repeat(1024)));

        assertValidationError(() -> service.create(NewApiKey.named("n".repeat(129))), "name");
        assertValidationError(() -> service.create(NewApiKey.named("ok").withDescription("d".repeat(1025))),
                "description");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Read", "1read", "read write", "read.all", "écrire", ":read", "-x"})
    void createRejectsScopesOutsideThePattern(String scope) {
        assertValidationError(() -> service.create(NewApiKey.named("k").withScopes(List.of("read", scope))),
                "scopes");
        assertThat(store.count(ApiKeyFilter.all())).isZero();
    }

    @Test
    void createLimitsTheNumberAndLengthOfScopesSoEveryStoreCanHoldThem() {
        List<String> most = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            most.add("scope-" + i + "-" + "x".repeat(50));
        }
        ApiKey key = service.create(NewApiKey.named("k").withScopes(most)).apiKey();
        assertThat(key.getScopes()).hasSize(32);

        List<String> tooMany = new ArrayList<>(most);
        tooMany.add("one-more");
        assertValidationError(() -> service.create(NewApiKey.named("k").withScopes(tooMany)), "scopes");
        assertValidationError(() -> service.create(NewApiKey.named("k").withScopes(List.of("s" + "x".repeat(64)))),
                "scopes");
    }

    @Test
    void createAcceptsNamespacedScopes() {
        ApiKey key = service.create(NewApiKey.named("k").withScopes(List.of("keys:admin", "a1_b-c", "x")))
                .apiKey();

        assertThat(key.getScopes()).containsExactly("keys:admin", "a1_b-c", "x");
    }

    @Test
    void createRejectsAnExpiryThatIsNotInTheFuture() {
        assertValidationError(() -> service.create(NewApiKey.named("k").withExpiresAt(NOW.minusSeconds(1))),
                "expiresAt");
        assertValidationError(() -> service.create(NewApiKey.named("k").withExpiresAt(NOW_MICROS)), "expiresAt");
    }

    @Test
    void createRetriesWhenTheStoreReportsAKeyIdClash() {
        AtomicInteger attempts = new AtomicInteger();
        ApiKeyStore clashingOnce = delegatingStore(store, (method, args) -> {
            if (method.equals("create") && attempts.incrementAndGet() == 1) {
                throw new DuplicateApiKeyException("clash");
            }
        });
        ApiKeyService service = new ApiKeyService(clashingOnce, hasher, new ApiKeyFormat(), clock);

        CreatedApiKey created = service.create(NewApiKey.named("k"));

        assertThat(attempts).hasValue(2);
        assertThat(service.verify(created.plaintext()).getId()).isEqualTo(created.apiKey().getId());
    }

    @Test
    void createGivesUpAfterRepeatedClashes() {
        ApiKeyStore alwaysClashing = delegatingStore(store, (method, args) -> {
            if (method.equals("create")) {
                throw new DuplicateApiKeyException("clash");
            }
        });
        ApiKeyService service = new ApiKeyService(alwaysClashing, hasher, new ApiKeyFormat(), clock);

        assertThatThrownBy(() -> service.create(NewApiKey.named("k"))).isInstanceOf(DuplicateApiKeyException.class);
    }

    @Test
    void verifyAcceptsAValidKeyAndRecordsItsUse() {
        CreatedApiKey created = service.create(NewApiKey.named("k").withScopes(List.of("read", "write")));
        clock.advance(Duration.ofMinutes(5));

        ApiKey verified = service.verify(created.plaintext(), List.of("write"));

        Instant usedAt = NOW_MICROS.plus(Duration.ofMinutes(5));
        assertThat(verified.getId()).isEqualTo(created.apiKey().getId());
        assertThat(verified.getLastUsedAt()).isEqualTo(usedAt);
        assertThat(store.findById(verified.getId()).orElseThrow().getLastUsedAt()).isEqualTo(usedAt);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {" ", "\t"})
    void verifyReportsAMissingKey(String presented) {
        assertThatThrownBy(() -> service.verify(presented))
                .isInstanceOf(KeyNotProvidedException.class).hasMessage("API key missing");
    }

    @Test
    void verifyRejectsAMalformedKeyWithoutTouchingTheStoreOrHashing() {
        AtomicInteger storeCalls = new AtomicInteger();
        ApiKeyStore counting = delegatingStore(store, (method, args) -> storeCalls.incrementAndGet());
        ApiKeyService service = new ApiKeyService(counting, hasher, new ApiKeyFormat(), clock);

        for (String malformed : List.of("Bearer x", "ak_v1-zz-yy", "ak_v2-0123456789abcdef-" + "a".repeat(64))) {
            assertThatThrownBy(() -> service.verify(malformed))
                    .isInstanceOf(InvalidKeyException.class).hasMessage("API key invalid");
        }
        assertThat(storeCalls).hasValue(0);
        assertThat(hasher.verifications).hasValue(0);
    }

    @Test
    void verifyRejectsAnUnknownKeyIdAfterTheSameHashWorkAsAWrongSecret() {
        CreatedApiKey created = service.create(NewApiKey.named("k"));
        String secret = created.plaintext().substring(created.plaintext().lastIndexOf('-') + 1);
        String unknownKeyId = "ak_v1-" + new ApiKeyFormat().newKeyId() + "-" + secret;
        String wrongSecret = "ak_v1-" + created.apiKey().getKeyId() + "-" + new ApiKeyFormat().newSecret();

        hasher.verifications.set(0);
        assertThatThrownBy(() -> service.verify(unknownKeyId)).isInstanceOf(InvalidKeyException.class);
        int unknownCost = hasher.verifications.getAndSet(0);
        assertThatThrownBy(() -> service.verify(wrongSecret)).isInstanceOf(InvalidKeyException.class);
        int wrongSecretCost = hasher.verifications.get();

        assertThat(unknownCost).isEqualTo(wrongSecretCost).isEqualTo(1);
        assertThat(store.findById(created.apiKey().getId()).orElseThrow().getLastUsedAt()).isNull();
    }

    @Test
    void verifyChecksTheSecretBeforeTheKeysState() {
        CreatedApiKey created = service.create(NewApiKey.named("k").withExpiresAt(NOW.plusSeconds(60)));
        service.deactivate(created.apiKey().getId());
        clock.advance(Duration.ofMinutes(5));
        String wrongSecret = "ak_v1-" + created.apiKey().getKeyId() + "-" + new ApiKeyFormat().newSecret();

        assertThatThrownBy(() -> service.verify(wrongSecret, List.of("admin")))
                .isInstanceOf(InvalidKeyException.class);
        assertThatThrownBy(() -> service.verify(created.plaintext(), List.of("admin")))
                .isInstanceOf(KeyInactiveException.class);
    }

    @Test
    void verifyRejectsAnExpiredKeyAndRecordsNoUse() {
        CreatedApiKey created = service.create(NewApiKey.named("k").withExpiresAt(NOW.plusSeconds(60)));
        clock.advance(Duration.ofSeconds(60));

        assertThatThrownBy(() -> service.verify(created.plaintext()))
                .isInstanceOf(KeyExpiredException.class).hasMessage("API key expired");
        assertThat(store.findById(created.apiKey().getId()).orElseThrow().getLastUsedAt()).isNull();
    }

    @Test
    void verifyChecksStateBeforeScopes() {
        CreatedApiKey created = service.create(NewApiKey.named("k").withActive(false));

        assertThatThrownBy(() -> service.verify(created.plaintext(), List.of("admin")))
                .isInstanceOf(KeyInactiveException.class);
    }

    @Test
    void verifyRejectsMissingScopesAndRecordsNoUse() {
        CreatedApiKey created = service.create(NewApiKey.named("k").withScopes(List.of("read")));

        assertThatThrownBy(() -> service.verify(created.plaintext(), List.of("read", "write", "admin")))
                .isInstanceOfSatisfying(InsufficientScopesException.class,
                        e -> assertThat(e.getMissingScopes()).containsExactly("write", "admin"))
                .hasMessage("API key missing required scopes 'write', 'admin'");
        assertThat(store.findById(created.apiKey().getId()).orElseThrow().getLastUsedAt()).isNull();
    }

    @Test
    void aNullRequiredScopeIsMissingRatherThanACrash() {
        CreatedApiKey created = service.create(NewApiKey.named("k").withScopes(List.of("read")));

        assertThatThrownBy(() -> service.verify(created.plaintext(), java.util.Arrays.asList("read", null)))
                .isInstanceOfSatisfying(InsufficientScopesException.class,
                        e -> assertThat(e.getMissingScopes()).containsExactly((String) null));
    }

    @Test
    void verifyLetsStoreFailuresThrough() {
        ApiKeyStore down = delegatingStore(store, (method, args) -> {
            throw new ApiKeyStoreException("database down", new RuntimeException());
        });
        ApiKeyService service = new ApiKeyService(down, hasher, new ApiKeyFormat(), clock);

        assertThatThrownBy(() -> service.verify("ak_v1-0123456789abcdef-" + "a".repeat(64)))
                .isInstanceOf(ApiKeyStoreException.class);
    }

    @Test
    void verifyHonoursACustomFormat() {
        ApiKeyService live = new ApiKeyService(store, hasher, new ApiKeyFormat("sk_live", "."), clock);
        CreatedApiKey created = live.create(NewApiKey.named("k"));

        assertThat(created.plaintext()).startsWith("sk_live.");
        assertThat(live.verify(created.plaintext()).getName()).isEqualTo("k");
        assertThatThrownBy(() -> service.verify(created.plaintext())).isInstanceOf(InvalidKeyException.class);
    }

    @Test
    void getListFindAndCountReadTheStore() {
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(service.create(NewApiKey.named("key-" + i).withActive(i != 1)).apiKey().getId());
            clock.advance(Duration.ofSeconds(1));
        }

        assertThat(service.get(ids.get(0)).getName()).isEqualTo("key-0");
        assertThat(service.list(0, 2)).extracting(ApiKey::getName).containsExactly("key-2", "key-1");
        ApiKeyFilter active = ApiKeyFilter.builder().active(true).orderBy(ApiKeySortField.NAME, false).build();
        assertThat(service.find(active)).extracting(ApiKey::getName).containsExactly("key-0", "key-2");
        assertThat(service.count(active)).isEqualTo(2);
        assertThatThrownBy(() -> service.get(UUID.randomUUID())).isInstanceOf(ApiKeyNotFoundException.class);
    }

    @Test
    void listRejectsABadPage() {
        assertValidationError(() -> service.list(-1, 10), "offset");
        assertValidationError(() -> service.list(0, 0), "limit");
    }

    @Test
    void updateChangesOnlyTheFieldsThatWereSet() {
        ApiKey key = service.create(NewApiKey.named("before").withDescription("desc")
                .withScopes(List.of("read")).withExpiresAt(NOW.plus(Duration.ofDays(1)))).apiKey();

        ApiKey renamed = service.update(key.getId(), ApiKeyChanges.builder().name("after").build());

        assertThat(renamed.getName()).isEqualTo("after");
        assertThat(renamed.getDescription()).isEqualTo("desc");
        assertThat(renamed.getScopes()).containsExactly("read");
        assertThat(renamed.getExpiresAt()).isEqualTo(NOW_MICROS.plus(Duration.ofDays(1)));
        assertThat(renamed.isActive()).isTrue();

        ApiKey changed = service.update(key.getId(), ApiKeyChanges.builder().description(null)
                .scopes(List.of("write")).active(false).expiresAt(NOW.plus(Duration.ofDays(2))).build());

        assertThat(changed.getDescription()).isNull();
        assertThat(changed.getScopes()).containsExactly("write");
        assertThat(changed.isActive()).isFalse();
        assertThat(changed.getExpiresAt()).isEqualTo(NOW_MICROS.plus(Duration.ofDays(2)));
        assertThat(service.get(key.getId()).getScopes()).containsExactly("write");

        ApiKey noExpiry = service.update(key.getId(), ApiKeyChanges.builder().clearExpiry().build());
        assertThat(noExpiry.getExpiresAt()).isNull();
    }

    @Test
    void updateValidatesEveryChangedField() {
        UUID id = service.create(NewApiKey.named("k")).apiKey().getId();

        assertValidationError(() -> service.update(id, ApiKeyChanges.builder().name(" ").build()), "name");
        assertValidationError(() -> service.update(id, ApiKeyChanges.builder().name(null).build()), "name");
        assertValidationError(() -> service.update(id, ApiKeyChanges.builder().description("d".repeat(1025))
                .build()), "description");
        assertValidationError(() -> service.update(id, ApiKeyChanges.builder().scopes(List.of("BAD")).build()),
                "scopes");
        assertValidationError(() -> service.update(id, ApiKeyChanges.builder().expiresAt(NOW.minusSeconds(1))
                .build()), "expiresAt");
        assertThat(service.get(id).getName()).isEqualTo("k");
    }

    @Test
    void updateOfAnUnknownKeyIsNotFound() {
        assertThatThrownBy(() -> service.update(UUID.randomUUID(), ApiKeyChanges.builder().name("x").build()))
                .isInstanceOf(ApiKeyNotFoundException.class);
    }

    @Test
    void deactivateAndActivateAreIdempotentAndTakeEffectAtOnce() {
        CreatedApiKey created = service.create(NewApiKey.named("k"));
        UUID id = created.apiKey().getId();

        assertThat(service.deactivate(id).isActive()).isFalse();
        assertThat(service.deactivate(id).isActive()).isFalse();
        assertThatThrownBy(() -> service.verify(created.plaintext())).isInstanceOf(KeyInactiveException.class);

        assertThat(service.activate(id).isActive()).isTrue();
        assertThat(service.activate(id).isActive()).isTrue();
        assertThat(service.verify(created.plaintext()).getId()).isEqualTo(id);
        assertThatThrownBy(() -> service.activate(UUID.randomUUID())).isInstanceOf(ApiKeyNotFoundException.class);
    }

    @Test
    void deleteRemovesTheKeySoItNoLongerVerifies() {
        CreatedApiKey created = service.create(NewApiKey.named("k"));
        UUID id = created.apiKey().getId();

        service.delete(id);

        assertThatThrownBy(() -> service.get(id)).isInstanceOf(ApiKeyNotFoundException.class);
        assertThatThrownBy(() -> service.verify(created.plaintext())).isInstanceOf(InvalidKeyException.class);
        assertThatThrownBy(() -> service.delete(id)).isInstanceOf(ApiKeyNotFoundException.class)
                .hasMessage("API key " + id + " not found");
    }

    @Test
    void importKeyStoresAnExistingKeyOnce() {
        ApiKeyFormat format = new ApiKeyFormat();
        String fullKey = format.format(format.newKeyId(), format.newSecret());

        ApiKey imported = service.importKey("bootstrap", fullKey, List.of("keys:admin")).orElseThrow();

        assertThat(imported.getName()).isEqualTo("bootstrap");
        assertThat(imported.getScopes()).containsExactly("keys:admin");
        assertThat(service.verify(fullKey, List.of("keys:admin")).getId()).isEqualTo(imported.getId());
        assertThat(service.importKey("bootstrap", fullKey, List.of("keys:admin"))).isEmpty();
        assertThat(service.count(ApiKeyFilter.all())).isEqualTo(1);
    }

    @Test
    void importKeyRefusesAKeyIdStoredWithAnotherSecret() {
        ApiKeyFormat format = new ApiKeyFormat();
        String keyId = format.newKeyId();
        String secret = format.newSecret();
        service.importKey("first", format.format(keyId, format.newSecret()), List.of());

        assertThatThrownBy(() -> service.importKey("second", format.format(keyId, secret), List.of()))
                .isInstanceOf(DuplicateApiKeyException.class)
                .hasMessageContaining(keyId)
                .hasMessageNotContaining(secret);
    }

    @Test
    void importKeyValidatesItsInput() {
        String fullKey = new ApiKeyFormat().format("0123456789abcdef", "a".repeat(64));

        assertThatThrownBy(() -> service.importKey("k", "not a key", List.of()))
                .isInstanceOf(InvalidKeyException.class);
        assertValidationError(() -> service.importKey(" ", fullKey, List.of()), "name");
        assertValidationError(() -> service.importKey("k", fullKey, List.of("Admin")), "scopes");
    }

    @Test
    void noMessageOrToStringCarriesAPlaintextKeyOrThePepper() {
        CreatedApiKey created = service.create(NewApiKey.named("k").withScopes(List.of("read")));
        String plaintext = created.plaintext();
        String secret = plaintext.substring(plaintext.lastIndexOf('-') + 1);
        List<String> texts = new ArrayList<>();
        texts.add(created.toString());
        texts.add(created.apiKey().toString());
        texts.add(service.toString());
        texts.add(new ApiKeyFormat().parse(plaintext).toString());
        for (String presented : List.of(plaintext, plaintext.substring(0, plaintext.length() - 1) + "x")) {
            for (List<String> scopes : List.of(List.<String>of(), List.of("admin"))) {
                try {
                    texts.add(service.verify(presented, scopes).toString());
                } catch (RuntimeException e) {
                    texts.add(e.toString());
                }
            }
        }
        service.deactivate(created.apiKey().getId());
        try {
            service.verify(plaintext);
        } catch (RuntimeException e) {
            texts.add(e.toString());
        }

        assertThat(texts).hasSize(9).allSatisfy(text -> assertThat(text)
                .doesNotContain(secret).doesNotContain(secret.substring(4, 60)).doesNotContain(PEPPER));
    }

    private static void assertValidationError(Runnable call, String field) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(ApiKeyValidationException.class,
                e -> assertThat(e.getField()).isEqualTo(field));
    }

    private interface BeforeCall {
        void run(String method, Object[] args);
    }

    /** A store that runs {@code beforeCall} and then delegates, to inject clashes, failures and counters. */
    private static ApiKeyStore delegatingStore(ApiKeyStore delegate, BeforeCall beforeCall) {
        return (ApiKeyStore) Proxy.newProxyInstance(ApiKeyStore.class.getClassLoader(),
                new Class<?>[] {ApiKeyStore.class}, (proxy, method, args) -> {
                    beforeCall.run(method.getName(), args);
                    try {
                        return method.invoke(delegate, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

}
