package io.github.apikey.core.properties;

import io.github.apikey.core.testing.CountingHasher;
import io.github.apikey.core.testing.PropertyRun;
import io.github.apikey.core.testing.Samples;

import io.github.apikey.core.cache.CaffeineVerifiedKeyCache;
import io.github.apikey.core.cache.VerifiedKeyCache;
import io.github.apikey.core.domain.ApiKey;
import io.github.apikey.core.error.InvalidKeyException;
import io.github.apikey.core.error.KeyNotProvidedException;
import io.github.apikey.core.format.ApiKeyFormat;
import io.github.apikey.core.format.ParsedApiKey;
import io.github.apikey.core.hash.ApiKeyHasher;
import io.github.apikey.core.hash.Argon2ApiKeyHasher;
import io.github.apikey.core.hash.Argon2Cost;
import io.github.apikey.core.hash.HmacSha256ApiKeyHasher;
import io.github.apikey.core.testing.Samples.FormatSpec;
import io.github.apikey.core.service.ApiKeyService;
import io.github.apikey.core.service.CreatedApiKey;
import io.github.apikey.core.service.NewApiKey;
import io.github.apikey.core.store.InMemoryApiKeyStore;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static io.github.apikey.core.testing.Samples.ALPHANUMERIC;
import static io.github.apikey.core.testing.Samples.FOREIGN;
import static io.github.apikey.core.testing.Samples.LOWER_HEX;
import static io.github.apikey.core.testing.Samples.PRINTABLE;
import static io.github.apikey.core.testing.Samples.PUNCTUATION;
import static io.github.apikey.core.testing.Samples.quote;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * For any valid format: every key {@link ApiKeyService#create} issues parses and verifies, and no single-character
 * change to it (replacement, deletion or insertion, at any position of prefix, separators, key id or secret) ever
 * verifies.
 */
class KeyPropertiesTests {

    private static final String PEPPER = "property-test-pepper-0123456789abcdef";
    private static final ApiKeyHasher HMAC = new HmacSha256ApiKeyHasher(PEPPER);
    /** Cheap enough for dozens of hashes a second, and still the real Argon2id code path. */
    private static final ApiKeyHasher ARGON2 = new Argon2ApiKeyHasher(PEPPER, new Argon2Cost(1024, 1, 1));

    // ---- every generated key parses and verifies

    @Test
    void everyGeneratedKeyParsesAndVerifiesWithHmac() {
        PropertyRun.check("generated keys parse and verify (HMAC-SHA256)", 2000, KeySample::generate,
                KeySample::shrink, (sample, tally) -> createParseAndVerify(sample, HMAC, tally));
    }

    @Test
    void everyGeneratedKeyParsesAndVerifiesWithArgon2() {
        PropertyRun.check("generated keys parse and verify (Argon2id m=1024,t=1,p=1)", 100, KeySample::generate,
                KeySample::shrink, (sample, tally) -> createParseAndVerify(sample, ARGON2, tally));
    }

    record KeySample(FormatSpec format, List<String> scopes) {

        static KeySample generate(SplittableRandom random) {
            return new KeySample(Samples.validFormat(random), Samples.scopes(random));
        }

        static Stream<KeySample> shrink(KeySample sample) {
            return Stream.concat(
                    Samples.shrinkScopes(sample.scopes()).map(scopes -> new KeySample(sample.format(), scopes)),
                    Samples.shrinkFormat(sample.format()).map(format -> new KeySample(format, sample.scopes())));
        }
    }

    private static void createParseAndVerify(KeySample sample, ApiKeyHasher hasher, PropertyRun.Tally tally) {
        ApiKeyFormat format = sample.format().toFormat();
        String head = sample.format().prefix() + sample.format().separator();
        ApiKeyService service = ApiKeyService.builder(new InMemoryApiKeyStore(), hasher).format(format).build();

        CreatedApiKey created = service.create(NewApiKey.named("generated").withScopes(sample.scopes()));
        String key = created.plaintext();
        ApiKey stored = created.apiKey();

        assertThat(key).as("key").startsWith(head)
                .hasSize(head.length() + ApiKeyFormat.KEY_ID_LENGTH + sample.format().separator().length()
                        + ApiKeyFormat.SECRET_LENGTH);
        assertThat(format.hasPrefix(key)).as("hasPrefix %s", quote(key)).isTrue();
        assertThat(format.hasKeyShape(key)).as("hasKeyShape %s", quote(key)).isTrue();
        assertThat(format.isWellFormed(key)).as("isWellFormed %s", quote(key)).isTrue();
        ParsedApiKey parsed = format.parse(key);
        assertThat(parsed.keyId()).isEqualTo(stored.getKeyId()).matches("[0-9a-f]{16}");
        assertThat(parsed.secret()).matches("[A-Za-z0-9]{64}")
                .startsWith(stored.getSecretFirst()).endsWith(stored.getSecretLast());
        assertThat(format.format(parsed.keyId(), parsed.secret())).isEqualTo(key);
        assertThat(key).isEqualTo(head + parsed.keyId() + sample.format().separator() + parsed.secret());

        ApiKey verified = service.verify(key, sample.scopes());
        assertThat(verified.getId()).isEqualTo(stored.getId());
        assertThat(verified.getKeyId()).isEqualTo(stored.getKeyId());
        assertThat(verified.getLastUsedAt()).isNotNull();
        assertThat(service.verify(key).getId()).as("verifies again").isEqualTo(stored.getId());
        tally.count(sample.format().equals(FormatSpec.DEFAULT) ? "default format" : "custom format");
        tally.add("scopes granted", Samples.distinct(sample.scopes()).size());
    }

    // ---- any single-character change fails

    @Test
    void anySingleCharacterChangeFailsWithHmac() {
        PropertyRun.check("every single-character change fails (HMAC-SHA256, every position)", 500,
                MutationSample::generate, MutationSample::shrink,
                (sample, tally) -> mutateAndVerify(sample, HMAC, Integer.MAX_VALUE, tally));
    }

    @Test
    void anySingleCharacterChangeFailsWithArgon2() {
        PropertyRun.check("every single-character change fails (Argon2id m=1024,t=1,p=1, sampled positions)", 50,
                MutationSample::generate, MutationSample::shrink,
                (sample, tally) -> mutateAndVerify(sample, ARGON2, 12, tally));
    }

    /**
     * A format, a seed for the characters that replace or are inserted, and whether the service caches verified
     * keys (the original key is then cached before it is changed).
     */
    record MutationSample(FormatSpec format, long characterSeed, boolean cached) {

        static MutationSample generate(SplittableRandom random) {
            return new MutationSample(Samples.validFormat(random), random.nextLong(), random.nextBoolean());
        }

        static Stream<MutationSample> shrink(MutationSample sample) {
            Stream<MutationSample> uncached = sample.cached()
                    ? Stream.of(new MutationSample(sample.format(), sample.characterSeed(), false)) : Stream.empty();
            return Stream.concat(uncached, Samples.shrinkFormat(sample.format())
                    .map(format -> new MutationSample(format, sample.characterSeed(), sample.cached())));
        }
    }

    enum Edit { REPLACE, DELETE, INSERT }

    /** One single-character change at {@code position} of a key. */
    record Mutation(Edit edit, int position, char character, String segment) {

        String apply(String key) {
            return switch (edit) {
                case REPLACE -> key.substring(0, position) + character + key.substring(position + 1);
                case DELETE -> key.substring(0, position) + key.substring(position + 1);
                case INSERT -> key.substring(0, position) + character + key.substring(position);
            };
        }

        @Override
        public String toString() {
            return edit + " at " + position + " (" + segment + ")"
                    + (edit == Edit.DELETE ? "" : " with " + quote(String.valueOf(character)));
        }
    }

    /**
     * Creates a key, then verifies every single-character change of it ({@code limit} of them, most reaching the
     * hash check, when hashing is slow): each must fail as an invalid key (or a missing one, if blank).
     */
    private static void mutateAndVerify(MutationSample sample, ApiKeyHasher hasher, int limit,
                                        PropertyRun.Tally tally) {
        ApiKeyFormat format = sample.format().toFormat();
        CountingHasher counting = new CountingHasher(hasher);
        VerifiedKeyCache cache = sample.cached() ? new CaffeineVerifiedKeyCache(Duration.ofMinutes(5), 1000)
                : VerifiedKeyCache.NONE;
        ApiKeyService service = ApiKeyService.builder(new InMemoryApiKeyStore(), counting).format(format)
                .cache(cache).build();
        ApiKey other = service.create(NewApiKey.named("other")).apiKey();
        CreatedApiKey target = service.create(NewApiKey.named("target"));
        String key = target.plaintext();
        service.verify(key);

        List<Mutation> mutations = allMutations(key, sample.format(), new SplittableRandom(sample.characterSeed()));
        if (mutations.size() > limit) {
            mutations = sampleReachingTheHash(mutations, key, format, limit,
                    new SplittableRandom(~sample.characterSeed()));
        }
        for (Mutation mutation : mutations) {
            String mutated = mutation.apply(key);
            long hashesBefore = counting.verifications.get();
            String outcome = outcomeOf(service, mutated);
            String expected = mutated.isBlank() ? "KeyNotProvidedException" : "InvalidKeyException";
            assertThat(outcome).as("verify(%s), %s of %s", quote(mutated), mutation, quote(key)).isEqualTo(expected);
            tally.count("mutations");
            tally.count(mutation.segment());
            if (counting.verifications.get() > hashesBefore) {
                tally.count("reached hash check");
            }
        }
        assertThat(service.verify(key).getId()).as("the unchanged key still verifies")
                .isEqualTo(target.apiKey().getId()).isNotEqualTo(other.getId());
    }

    private static String outcomeOf(ApiKeyService service, String presented) {
        try {
            ApiKey verified = service.verify(presented);
            return "verified as " + verified;
        } catch (InvalidKeyException | KeyNotProvidedException expected) {
            return expected.getClass().getSimpleName();
        } catch (RuntimeException unexpected) {
            return "unexpected " + unexpected;
        }
    }

    /** Every replacement, deletion and insertion position of {@code key}, with characters drawn per position. */
    static List<Mutation> allMutations(String key, FormatSpec format, SplittableRandom random) {
        List<Mutation> mutations = new ArrayList<>(3 * key.length() + 1);
        for (int i = 0; i < key.length(); i++) {
            String segment = segmentAt(i, format);
            char original = key.charAt(i);
            char replacement;
            do {
                replacement = characterFor(segment, original, format, random);
            } while (replacement == original);
            mutations.add(new Mutation(Edit.REPLACE, i, replacement, segment));
            mutations.add(new Mutation(Edit.DELETE, i, original, segment));
        }
        for (int i = 0; i <= key.length(); i++) {
            String segment = segmentAt(Math.min(i, key.length() - 1), format);
            mutations.add(new Mutation(Edit.INSERT, i, characterFor(segment, '\0', format, random), segment));
        }
        return mutations;
    }

    /** Mostly changes the hash must catch (the result still parses), plus some that parsing must catch. */
    private static List<Mutation> sampleReachingTheHash(List<Mutation> all, String key, ApiKeyFormat format,
                                                        int limit, SplittableRandom random) {
        List<Mutation> parsing = new ArrayList<>();
        List<Mutation> rejected = new ArrayList<>();
        for (Mutation mutation : all) {
            (format.isWellFormed(mutation.apply(key)) ? parsing : rejected).add(mutation);
        }
        List<Mutation> chosen = new ArrayList<>();
        int fromParsing = Math.min(parsing.size(), limit * 2 / 3);
        for (int i = 0; i < fromParsing; i++) {
            chosen.add(parsing.remove(random.nextInt(parsing.size())));
        }
        while (chosen.size() < limit && !rejected.isEmpty()) {
            chosen.add(rejected.remove(random.nextInt(rejected.size())));
        }
        return chosen;
    }

    static String segmentAt(int position, FormatSpec format) {
        int prefixEnd = format.prefix().length();
        int separatorLength = format.separator().length();
        int keyIdEnd = prefixEnd + separatorLength + ApiKeyFormat.KEY_ID_LENGTH;
        if (position < prefixEnd) {
            return "prefix";
        }
        if (position < prefixEnd + separatorLength) {
            return "separator 1";
        }
        if (position < keyIdEnd) {
            return "key id";
        }
        if (position < keyIdEnd + separatorLength) {
            return "separator 2";
        }
        return "secret";
    }

    /**
     * Half of the time a character that fits the segment (hex in the key id, alphanumeric in the secret), so that
     * the change survives parsing; else any printable character, a character of the format, a case flip or a
     * character no key may hold.
     */
    private static char characterFor(String segment, char original, FormatSpec format, SplittableRandom random) {
        int choice = random.nextInt(10);
        if (choice < 5) {
            return Samples.char1(random, switch (segment) {
                case "key id" -> LOWER_HEX;
                case "secret" -> ALPHANUMERIC;
                case "prefix" -> PRINTABLE;
                default -> PUNCTUATION;
            });
        }
        if (choice == 5 && Character.isLetter(original)) {
            return Character.isUpperCase(original) ? Character.toLowerCase(original) : Character.toUpperCase(original);
        }
        if (choice == 6) {
            return Samples.char1(random, format.prefix() + format.separator());
        }
        if (choice == 7) {
            return Samples.char1(random, FOREIGN);
        }
        return Samples.char1(random, PRINTABLE);
    }

}
