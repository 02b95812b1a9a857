package io.github.apikey.spring.error;

import io.github.apikey.core.error.ApiKeyErrorCode;
import io.github.apikey.core.error.ApiKeyException;
import io.github.apikey.core.error.ApiKeyValidationException;
import io.github.apikey.core.error.InsufficientScopesException;
import io.github.apikey.core.error.RateLimitExceededException;
import io.github.apikey.core.error.UsageExceededException;
import io.github.apikey.core.ratelimit.RateLimitDecision;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/**
 * How an {@link ApiKeyErrorCode} is answered over HTTP: status, problem {@code detail}, RFC 6750 {@code error} code
 * and whether a {@code WWW-Authenticate} challenge goes with it. This is the one place that maps codes, in the
 * manner of Spring Security's {@code BearerTokenError}; the security filter's entry point, its access-denied
 * handler and the management API's controller advice all answer through it, so a failure reads the same wherever
 * it is reported.
 *
 * <p>Details are fixed texts for authentication failures, so a presented key can never reach a response; other
 * details are the core's messages, which never hold a key or a secret either.
 */
public final class ApiKeyError {

    /**
     * Prefix of the problem {@code type} of each code, so that clients branch on the kind of error without reading
     * {@code detail}. URNs, not URLs: nothing has to be hosted for them, and no client is tempted to fetch them.
     */
    public static final String PROBLEM_TYPE_PREFIX = "urn:api-key:problem:";

    /** Seconds a client should wait before trying again when nothing could be verified. */
    static final String RETRY_AFTER_SECONDS = "5";

    private final ApiKeyErrorCode code;
    private final HttpStatus status;
    private final String detail;
    private final List<String> missingScopes;
    private final String field;
    private final Instant retryAt;
    private final RateLimitDecision rateLimit;

    private ApiKeyError(ApiKeyErrorCode code, String detail, List<String> missingScopes, String field,
                        Instant retryAt, RateLimitDecision rateLimit) {
        this.code = code;
        this.status = statusOf(code);
        this.detail = detail;
        this.missingScopes = missingScopes;
        this.field = field;
        this.retryAt = retryAt;
        this.rateLimit = rateLimit;
    }

    private ApiKeyError(ApiKeyErrorCode code, String detail, List<String> missingScopes, String field) {
        this(code, detail, missingScopes, field, null, null);
    }

    /**
     * The answer to a code that needs nothing but itself: missing, invalid, inactive, expired, a restricted address
     * or origin, usage exceeded (with no known refill), unavailable.
     */
    public static ApiKeyError of(ApiKeyErrorCode code) {
        Objects.requireNonNull(code, "code");
        return new ApiKeyError(code, standardDetail(code), List.of(), null);
    }

    /** The answer to an error raised by the core. */
    public static ApiKeyError of(ApiKeyException exception) {
        ApiKeyErrorCode code = exception.getCode();
        return switch (code) {
            case MISSING, INVALID, INACTIVE, EXPIRED, ADDRESS_NOT_ALLOWED, ORIGIN_NOT_ALLOWED, UNAVAILABLE -> of(code);
            case USAGE_EXCEEDED -> new ApiKeyError(code, standardDetail(code), List.of(), null,
                    exception instanceof UsageExceededException exceeded ? exceeded.getRetryAt() : null, null);
            case RATE_LIMITED -> new ApiKeyError(code, standardDetail(code), List.of(), null, null,
                    exception instanceof RateLimitExceededException limited ? limited.getDecision() : null);
            case INSUFFICIENT_SCOPE -> insufficientScope(exception instanceof InsufficientScopesException scopes
                    ? scopes.getMissingScopes() : List.of());
            case VALIDATION -> new ApiKeyError(code, exception.getMessage(), List.of(),
                    exception instanceof ApiKeyValidationException validation ? validation.getField() : null);
            case NOT_FOUND, DUPLICATE -> new ApiKeyError(code, exception.getMessage(), List.of(), null);
        };
    }

    /**
     * A usable key that lacks scopes. With no scope named (a rule such as {@code hasRole(...)} denied the key), the
     * detail says only that access was denied.
     */
    public static ApiKeyError insufficientScope(List<String> missingScopes) {
        List<String> missing = missingScopes.stream().map(String::valueOf).toList();
        String detail = missing.isEmpty() ? "Access denied" : missing.stream().map(scope -> "'" + scope + "'")
                .collect(Collectors.joining(", ", "API key missing required scopes ", ""));
        return new ApiKeyError(ApiKeyErrorCode.INSUFFICIENT_SCOPE, detail, missing, null);
    }

    /** A request whose {@code field} (or body, when {@code null}) cannot be accepted. */
    public static ApiKeyError badRequest(String field, String detail) {
        return new ApiKeyError(ApiKeyErrorCode.VALIDATION, detail, List.of(), field);
    }

    private static HttpStatus statusOf(ApiKeyErrorCode code) {
        return switch (code) {
            case MISSING, INVALID -> HttpStatus.UNAUTHORIZED;
            // Only reported once the secret matched, so saying "forbidden" tells a guesser nothing.
            case INACTIVE, EXPIRED, INSUFFICIENT_SCOPE, ADDRESS_NOT_ALLOWED, ORIGIN_NOT_ALLOWED -> HttpStatus.FORBIDDEN;
            // The key is fine and will be again at its next refill: a limit on use, as 429 means (RFC 6585).
            case USAGE_EXCEEDED, RATE_LIMITED -> HttpStatus.TOO_MANY_REQUESTS;
            // Nothing is known about the key: neither a 401 nor a 200 would be true.
            case UNAVAILABLE -> HttpStatus.SERVICE_UNAVAILABLE;
            case NOT_FOUND -> HttpStatus.NOT_FOUND;
            case VALIDATION -> HttpStatus.BAD_REQUEST;
            case DUPLICATE -> HttpStatus.CONFLICT;
        };
    }

    private static String standardDetail(ApiKeyErrorCode code) {
        return switch (code) {
            case MISSING -> "API key missing";
            case INVALID -> "API key invalid";
            case INACTIVE -> "API key inactive";
            case EXPIRED -> "API key expired";
            case INSUFFICIENT_SCOPE -> "Access denied";
            // Fixed texts that name the restriction, never the allowed values: a refused client must not learn
            // which addresses or origins would pass.
            case ADDRESS_NOT_ALLOWED -> "API key not allowed from this IP address";
            case ORIGIN_NOT_ALLOWED -> "API key not allowed from this origin";
            case USAGE_EXCEEDED -> "API key usage exceeded";
            case RATE_LIMITED -> "API key rate limit exceeded";
            case UNAVAILABLE -> "API key verification is temporarily unavailable";
            case NOT_FOUND -> "API key not found";
            case VALIDATION -> "Request not valid";
            case DUPLICATE -> "API key already exists";
        };
    }

    /**
     * The problem {@code type} of a code: {@code urn:api-key:problem:} followed by {@code key-missing},
     * {@code key-invalid}, {@code key-inactive}, {@code key-expired}, {@code insufficient-scope},
     * {@code address-not-allowed}, {@code origin-not-allowed}, {@code usage-exceeded}, {@code rate-limited},
     * {@code verification-unavailable}, {@code key-not-found}, {@code invalid-request} or {@code key-conflict}.
     */
    public static URI problemType(ApiKeyErrorCode code) {
        String kind = switch (code) {
            case MISSING -> "key-missing";
            case INVALID -> "key-invalid";
            case INACTIVE -> "key-inactive";
            case EXPIRED -> "key-expired";
            case INSUFFICIENT_SCOPE -> "insufficient-scope";
            case ADDRESS_NOT_ALLOWED -> "address-not-allowed";
            case ORIGIN_NOT_ALLOWED -> "origin-not-allowed";
            case USAGE_EXCEEDED -> "usage-exceeded";
            case RATE_LIMITED -> "rate-limited";
            case UNAVAILABLE -> "verification-unavailable";
            case NOT_FOUND -> "key-not-found";
            case VALIDATION -> "invalid-request";
            case DUPLICATE -> "key-conflict";
        };
        return URI.create(PROBLEM_TYPE_PREFIX + kind);
    }

    public ApiKeyErrorCode getCode() {
        return code;
    }

    public HttpStatus getStatus() {
        return status;
    }

    public String getDetail() {
        return detail;
    }

    /** Scopes the key lacks, in the order they were required; empty for every other code. */
    public List<String> getMissingScopes() {
        return missingScopes;
    }

    /**
     * The RFC 6750 {@code error} code of the challenge: {@code invalid_token} for a key that was presented and
     * refused, {@code insufficient_scope} for a key that lacks scopes, {@code null} for a bare challenge or none.
     */
    public String getChallengeError() {
        return switch (code) {
            case INVALID -> "invalid_token";
            case INSUFFICIENT_SCOPE -> "insufficient_scope";
            default -> null;
        };
    }

    /**
     * Whether a {@code WWW-Authenticate} challenge goes with the answer: it tells a client how to authenticate, so
     * only answers about the credential presented (none, a wrong one, one without the scopes) carry one. A key
     * refused for its state, for where it is used from or for its used-up credits is answered without one: the key
     * authenticated, and a challenge would not say what is wrong.
     */
    public boolean isChallenged() {
        return code == ApiKeyErrorCode.MISSING || code == ApiKeyErrorCode.INVALID
                || code == ApiKeyErrorCode.INSUFFICIENT_SCOPE;
    }

    /** The rate limiter's refusal of a {@code RATE_LIMITED} key, or {@code null} for every other code. */
    public RateLimitDecision getRateLimit() {
        return rateLimit;
    }

    /** When a key that used up its credits gets new ones, or {@code null} if that is not known. */
    public Instant getRetryAt() {
        return retryAt;
    }

    /** {@link #getHeaders(Instant)} as of the system clock. */
    public HttpHeaders getHeaders() {
        return getHeaders(Instant.now());
    }

    /**
     * Headers other than the challenge: {@code Retry-After} when nothing could be verified; for a key that used up
     * its credits, the seconds from {@code now} until its next refill (none when it is never refilled: waiting would
     * not help); for a key over its rate limit, the seconds until a request may pass, with the
     * {@code RateLimit-Policy} and {@code RateLimit} fields ({@link RateLimitHeaders}).
     */
    public HttpHeaders getHeaders(Instant now) {
        HttpHeaders headers = new HttpHeaders();
        if (code == ApiKeyErrorCode.UNAVAILABLE) {
            headers.set(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
        } else if (code == ApiKeyErrorCode.USAGE_EXCEEDED && retryAt != null) {
            headers.set(HttpHeaders.RETRY_AFTER, Long.toString(secondsUntil(Objects.requireNonNull(now, "now"))));
        } else if (code == ApiKeyErrorCode.RATE_LIMITED && rateLimit != null) {
            headers.addAll(RateLimitHeaders.of(rateLimit));
        }
        return headers;
    }

    /**
     * Rounded up, so that a client that waits as told finds the refill done; at least 1, since a refill due already
     * (this instance's clock a little behind the one that refused) is taken at the next request anyway.
     */
    private long secondsUntil(Instant now) {
        Duration wait = Duration.between(now, retryAt);
        long seconds = wait.getSeconds() + (wait.getNano() > 0 ? 1 : 0);
        return Math.max(1, seconds);
    }

    /**
     * The RFC 9457 problem: {@code missingScopes} names what a key lacks, {@code field} what a request got wrong.
     * The caller sets {@code instance} (Spring MVC does so itself).
     */
    public ProblemDetail toProblemDetail() {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(problemType(code));
        problem.setTitle(status.getReasonPhrase());
        if (!missingScopes.isEmpty()) {
            problem.setProperty("missingScopes", missingScopes);
        }
        if (field != null) {
            problem.setProperty("field", field);
        }
        return problem;
    }

    @Override
    public String toString() {
        return "ApiKeyError[code=" + code + ", status=" + status.value() + ", detail=" + detail + "]";
    }
}
