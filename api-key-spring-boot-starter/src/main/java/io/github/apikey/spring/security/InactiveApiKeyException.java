package io.github.apikey.spring.security;

import org.springframework.security.authentication.DisabledException;

/** The key's secret matched but the key is disabled: 403. */
public class InactiveApiKeyException extends DisabledException {

    public InactiveApiKeyException(String message) {
        super(message);
    }
}
