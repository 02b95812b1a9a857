package io.github.apikey.core.error;

/**
 * A request to create or change a key carries a value that is not allowed. {@link #getField()} names the
 * offending field so that an HTTP adapter can point the client at it.
 */
public final class ApiKeyValidationException extends ApiKeyException {

    private final String field;

    public ApiKeyValidationException(String field, String message) {
        super(ApiKeyErrorCode.VALIDATION, message);
        this.field = field;
    }

    public String getField() {
        return field;
    }
}
