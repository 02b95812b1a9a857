package io.github.apikey.core.hash;

import de.mkammerer.argon2.Argon2;
import de.mkammerer.argon2.Argon2Factory;
import de.mkammerer.argon2.Argon2Factory.Argon2Types;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * Argon2id over the UTF-8 bytes of {@code secret + pepper}, written as a PHC string
 * ({@code $argon2id$v=19$m=65536,t=3,p=4$<salt>$<hash>}): the scheme keyshield uses, so hashes move between the
 * two libraries in both directions. Verification reads the cost from the stored string, so hashes written with
 * any cost keep verifying after the configured cost changes.
 */
public final class Argon2ApiKeyHasher implements ApiKeyHasher {

    private static final String PHC_PREFIX = "$argon2id$";
    private static final int SALT_LENGTH = 16;
    private static final int HASH_LENGTH = 32;

    private final byte[] pepper;
    private final Argon2Cost cost;
    private final Argon2 argon2;

    /** A hasher with the {@linkplain Argon2Cost#DEFAULT default cost}. */
    public Argon2ApiKeyHasher(String pepper) {
        this(pepper, Argon2Cost.DEFAULT);
    }

    public Argon2ApiKeyHasher(String pepper, Argon2Cost cost) {
        this.pepper = Pepper.requireBytes(pepper);
        this.cost = Objects.requireNonNull(cost, "cost");
        this.argon2 = Argon2Factory.create(Argon2Types.ARGON2id, SALT_LENGTH, HASH_LENGTH);
    }

    public Argon2Cost getCost() {
        return cost;
    }

    @Override
    public String hash(String secret) {
        byte[] input = peppered(secret);
        try {
            return argon2.hash(cost.iterations(), cost.memoryKiB(), cost.parallelism(), input);
        } finally {
            Arrays.fill(input, (byte) 0);
        }
    }

    @Override
    public boolean verify(String storedHash, String secret) {
        if (storedHash == null || secret == null || !storedHash.startsWith(PHC_PREFIX)) {
            return false;
        }
        byte[] input = peppered(secret);
        try {
            return argon2.verify(storedHash, input);
        } catch (RuntimeException malformed) {
            return false;
        } finally {
            Arrays.fill(input, (byte) 0);
        }
    }

    private byte[] peppered(String secret) {
        byte[] secretBytes = Objects.requireNonNull(secret, "secret").getBytes(StandardCharsets.UTF_8);
        byte[] input = Arrays.copyOf(secretBytes, secretBytes.length + pepper.length);
        System.arraycopy(pepper, 0, input, secretBytes.length, pepper.length);
        Arrays.fill(secretBytes, (byte) 0);
        return input;
    }

    @Override
    public String toString() {
        return "Argon2ApiKeyHasher[" + cost + "]";
    }
}
