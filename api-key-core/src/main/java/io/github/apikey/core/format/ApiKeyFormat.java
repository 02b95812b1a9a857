package io.github.apikey.core.format;

import io.github.apikey.core.error.InvalidKeyException;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The textual form of an API key, compatible with keyshield: {@code {prefix}{separator}{keyId}{separator}{secret}},
 * for example {@code ak_v1-5321332a9dcdfa83-dxbN...8b1}.
 *
 * <ul>
 *   <li>{@code keyId}: {@value #KEY_ID_LENGTH} lowercase hexadecimal characters, public, used for look-up;</li>
 *   <li>{@code secret}: {@value #SECRET_LENGTH} characters of {@code [A-Za-z0-9]} from {@link SecureRandom}
 *       (about 381 bits), only ever stored as a hash.</li>
 * </ul>
 *
 * <p>Parsing is strict and needs no store: anything that is not exactly of this shape is an
 * {@link InvalidKeyException}. Instances are immutable and thread-safe.
 */
public final class ApiKeyFormat {

    public static final String DEFAULT_PREFIX = "ak_v1";
    public static final String DEFAULT_SEPARATOR = "-";
    public static final int KEY_ID_LENGTH = 16;
    public static final int SECRET_LENGTH = 64;

    private static final String SECRET_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final int MAX_PREFIX_LENGTH = 32;

    private final String prefix;
    private final String separator;
    private final String head;
    private final int keyLength;
    private final SecureRandom random;

    /** The default format, {@code ak_v1-<keyId>-<secret>}. */
    public ApiKeyFormat() {
        this(DEFAULT_PREFIX, DEFAULT_SEPARATOR);
    }

    /**
     * @param prefix non-empty printable ASCII without spaces, not containing the separator, for example
     *               {@code sk_live} (environment prefixes let leaked keys be recognised)
     * @param separator non-empty printable ASCII without spaces and without letters or digits, which would make
     *                  the secret ambiguous
     * @throws IllegalArgumentException naming the rule that was broken
     */
    public ApiKeyFormat(String prefix, String separator) {
        this.prefix = requirePrintable(prefix, "prefix");
        this.separator = requirePrintable(separator, "separator");
        if (prefix.length() > MAX_PREFIX_LENGTH) {
            throw new IllegalArgumentException("API key prefix must be at most " + MAX_PREFIX_LENGTH
                    + " characters long, but '" + prefix + "' has " + prefix.length());
        }
        for (char c : separator.toCharArray()) {
            if (SECRET_ALPHABET.indexOf(c) >= 0) {
                throw new IllegalArgumentException("API key separator '" + separator
                        + "' must not contain letters or digits: they belong to the key id and secret alphabet");
            }
        }
        if (prefix.contains(separator)) {
            throw new IllegalArgumentException("API key prefix '" + prefix + "' must not contain the separator '"
                    + separator + "': keys could not be split unambiguously");
        }
        this.head = prefix + separator;
        this.keyLength = head.length() + KEY_ID_LENGTH + separator.length() + SECRET_LENGTH;
        this.random = new SecureRandom();
    }

    public String getPrefix() {
        return prefix;
    }

    public String getSeparator() {
        return separator;
    }

    /** Generates a fresh key id: {@value #KEY_ID_LENGTH} lowercase hex characters. */
    public String newKeyId() {
        byte[] bytes = new byte[KEY_ID_LENGTH / 2];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** Generates a fresh secret: {@value #SECRET_LENGTH} characters drawn uniformly from {@code [A-Za-z0-9]}. */
    public String newSecret() {
        char[] secret = new char[SECRET_LENGTH];
        for (int i = 0; i < secret.length; i++) {
            secret[i] = SECRET_ALPHABET.charAt(random.nextInt(SECRET_ALPHABET.length()));
        }
        return new String(secret);
    }

    /** Joins a key id and a secret into the full key a client presents. */
    public String format(String keyId, String secret) {
        if (!isKeyId(keyId) || !isSecret(secret)) {
            throw new IllegalArgumentException("key id or secret is not of this format");
        }
        return head + keyId + separator + secret;
    }

    /**
     * Whether {@code key} has this format's length and prefix: a cheap first check, after which only
     * {@link #isWellFormed} or {@link #parse} tell whether it is a key.
     */
    public boolean hasKeyShape(String key) {
        return key != null && key.length() == keyLength && key.startsWith(head);
    }

    /** Whether {@code key} is exactly of this format; {@link #parse} without its allocations. */
    public boolean isWellFormed(String key) {
        if (!hasKeyShape(key)) {
            return false;
        }
        int keyIdEnd = head.length() + KEY_ID_LENGTH;
        return isLowerHex(key, head.length(), keyIdEnd) && key.startsWith(separator, keyIdEnd)
                && isAlphanumeric(key, keyIdEnd + separator.length(), keyLength);
    }

    /**
     * Splits a presented key into key id and secret.
     *
     * @throws InvalidKeyException if the key is not exactly of this format; nothing about the key is echoed
     */
    public ParsedApiKey parse(String key) {
        if (!isWellFormed(key)) {
            throw new InvalidKeyException();
        }
        int keyIdEnd = head.length() + KEY_ID_LENGTH;
        return new ParsedApiKey(key.substring(head.length(), keyIdEnd), key.substring(keyIdEnd + separator.length()));
    }

    /** Whether {@code candidate} carries this format's prefix, so that foreign bearer tokens can be passed on. */
    public boolean hasPrefix(String candidate) {
        return candidate != null && candidate.startsWith(head);
    }

    /** Whether {@code keyId} is {@value #KEY_ID_LENGTH} lowercase hexadecimal characters. */
    public static boolean isKeyId(String keyId) {
        return keyId != null && keyId.length() == KEY_ID_LENGTH && isLowerHex(keyId, 0, KEY_ID_LENGTH);
    }

    private static boolean isSecret(String secret) {
        return secret != null && secret.length() == SECRET_LENGTH && isAlphanumeric(secret, 0, SECRET_LENGTH);
    }

    private static boolean isLowerHex(String text, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isAlphanumeric(String text, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
                return false;
            }
        }
        return true;
    }

    private static String requirePrintable(String value, String what) {
        Objects.requireNonNull(value, () -> "API key " + what + " must not be null");
        if (value.isEmpty()) {
            throw new IllegalArgumentException("API key " + what + " must not be empty");
        }
        for (char c : value.toCharArray()) {
            if (c <= ' ' || c > '~') {
                throw new IllegalArgumentException("API key " + what + " '" + value.strip()
                        + "' must be printable ASCII without spaces");
            }
        }
        return value;
    }

    @Override
    public String toString() {
        return "ApiKeyFormat[" + head + "<keyId>" + separator + "<secret>]";
    }
}
