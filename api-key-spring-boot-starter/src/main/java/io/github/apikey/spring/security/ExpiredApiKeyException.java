package io.github.apikey.spring.security;

import org.springframework.security.authentication.AccountExpiredException;

/** The key's secret matched but the key has expired: 403. */
public class ExpiredApiKeyException extends AccountExpiredException {

    public ExpiredApiKeyException(String message) {
        super(message);
    }
}
