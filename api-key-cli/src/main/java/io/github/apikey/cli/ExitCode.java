package io.github.apikey.cli;

import io.github.apikey.core.error.ApiKeyErrorCode;

/**
 * The command line's exit codes: stable, so that scripts can branch on them. Listed in {@code --help} and in the
 * README; a test checks that both lists match this class.
 */
public final class ExitCode {

    /** The command did what it was asked. */
    public static final int OK = 0;
    /** Something unexpected failed; the message says what. */
    public static final int ERROR = 1;
    /** The command line is wrong: an unknown command or option, a missing or malformed argument. */
    public static final int USAGE = 2;
    /** A value was refused by the library's rules (a name too long, a scope with a space, a past expiry...). */
    public static final int INVALID_INPUT = 3;
    /** No key has the given id or key id. */
    public static final int NOT_FOUND = 4;
    /** The key is already stored with another secret (import), or another unique value clashes. */
    public static final int CONFLICT = 5;
    /** The command line's configuration is missing or wrong: no database URL, no pepper or a short one. */
    public static final int CONFIGURATION = 6;
    /** The database cannot be reached or failed to answer. */
    public static final int DATABASE_UNAVAILABLE = 7;
    /** The key table is missing or of an earlier schema version. */
    public static final int SCHEMA = 8;
    /** verify: the key is malformed, unknown, or its secret does not match. */
    public static final int KEY_INVALID = 10;
    /** verify: the key is right but disabled. */
    public static final int KEY_INACTIVE = 11;
    /** verify: the key is right but expired. */
    public static final int KEY_EXPIRED = 12;
    /** verify: the key lacks a required scope. */
    public static final int KEY_INSUFFICIENT_SCOPE = 13;
    /** verify: the key may not be used from the given client address or origin. */
    public static final int KEY_RESTRICTED = 14;
    /** verify: the key has no usage credits left. */
    public static final int KEY_USAGE_EXCEEDED = 15;
    /** verify: the key is over one of its rate limits. */
    public static final int KEY_RATE_LIMITED = 16;

    /** The list shown by {@code --help}, one {@code code:description} per entry, in picocli's format. */
    static final String[] HELP = {
            OK + ":success",
            ERROR + ":unexpected error",
            USAGE + ":usage error (unknown command or option, malformed argument)",
            INVALID_INPUT + ":a value refused by the library's rules",
            NOT_FOUND + ":no key with this id or key id",
            CONFLICT + ":the key is already stored with another secret",
            CONFIGURATION + ":configuration missing or wrong (database URL, pepper)",
            DATABASE_UNAVAILABLE + ":database unreachable or failing",
            SCHEMA + ":key table missing or of an earlier schema version",
            KEY_INVALID + ":verify: key invalid (malformed, unknown or wrong secret)",
            KEY_INACTIVE + ":verify: key inactive",
            KEY_EXPIRED + ":verify: key expired",
            KEY_INSUFFICIENT_SCOPE + ":verify: key lacks a required scope",
            KEY_RESTRICTED + ":verify: key not allowed from this address or origin",
            KEY_USAGE_EXCEEDED + ":verify: key has no usage credits left",
            KEY_RATE_LIMITED + ":verify: key over a rate limit",
    };

    private ExitCode() {
    }

    /** The exit code of a library error. */
    static int of(ApiKeyErrorCode code) {
        return switch (code) {
            case MISSING, VALIDATION -> INVALID_INPUT;
            case INVALID -> KEY_INVALID;
            case INACTIVE -> KEY_INACTIVE;
            case EXPIRED -> KEY_EXPIRED;
            case INSUFFICIENT_SCOPE -> KEY_INSUFFICIENT_SCOPE;
            case ADDRESS_NOT_ALLOWED, ORIGIN_NOT_ALLOWED -> KEY_RESTRICTED;
            case USAGE_EXCEEDED -> KEY_USAGE_EXCEEDED;
            case RATE_LIMITED -> KEY_RATE_LIMITED;
            case UNAVAILABLE -> DATABASE_UNAVAILABLE;
            case NOT_FOUND -> NOT_FOUND;
            case DUPLICATE -> CONFLICT;
        };
    }
}
