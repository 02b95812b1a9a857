package io.github.apikey.core.hash;

/**
 * Argon2id cost parameters.
 *
 * @param memoryKiB   memory per hash in KiB (m)
 * @param iterations  passes over memory (t)
 * @param parallelism lanes (p)
 */
public record Argon2Cost(int memoryKiB, int iterations, int parallelism) {

    /** RFC 9106's second recommendation and keyshield's (argon2-cffi's) default: m=64 MiB, t=3, p=4. */
    public static final Argon2Cost DEFAULT = new Argon2Cost(65536, 3, 4);

    /** OWASP's lighter recommendation, m=19 MiB, t=2, p=1, for hosts that cannot afford the default. */
    public static final Argon2Cost OWASP_MINIMUM = new Argon2Cost(19456, 2, 1);

    public Argon2Cost {
        if (parallelism < 1 || parallelism > 255) {
            throw new IllegalArgumentException("Argon2 parallelism must be between 1 and 255, was " + parallelism);
        }
        if (iterations < 1) {
            throw new IllegalArgumentException("Argon2 iterations must be at least 1, was " + iterations);
        }
        if (memoryKiB < 8 * parallelism) {
            throw new IllegalArgumentException("Argon2 memory must be at least 8 KiB per lane (" + 8 * parallelism
                    + " KiB), was " + memoryKiB);
        }
    }

    @Override
    public String toString() {
        return "m=" + memoryKiB + ",t=" + iterations + ",p=" + parallelism;
    }
}
