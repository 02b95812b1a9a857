package io.github.apikey.core.testing;

import io.github.apikey.core.hash.ApiKeyHasher;

import java.util.concurrent.atomic.AtomicInteger;

/** A hasher that counts secret checks, to tell how much hash work a path costs. */
public final class CountingHasher implements ApiKeyHasher {

    /** Secret checks so far; tests may reset it. */
    public final AtomicInteger verifications = new AtomicInteger();

    private final ApiKeyHasher delegate;

    public CountingHasher(ApiKeyHasher delegate) {
        this.delegate = delegate;
    }

    @Override
    public String hash(String secret) {
        return delegate.hash(secret);
    }

    @Override
    public boolean verify(String storedHash, String secret) {
        verifications.incrementAndGet();
        return delegate.verify(storedHash, secret);
    }
}
