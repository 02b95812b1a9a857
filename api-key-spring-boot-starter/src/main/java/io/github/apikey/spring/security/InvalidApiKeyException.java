package io.github.apikey.spring.security;

import org.springframework.security.authentication.BadCredentialsException;

/**
 * The presented key is malformed, unknown or its secret does not match: 401 with {@code error="invalid_token"}.
 */
public class InvalidApiKeyException extends BadCredentialsException {

    public InvalidApiKeyException(String message) {
        super(message);
    }
}
