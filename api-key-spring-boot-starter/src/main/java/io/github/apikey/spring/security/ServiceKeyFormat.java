package io.github.apikey.spring.security;

import io.github.apikey.core.format.ApiKeyFormat;
import io.github.apikey.core.service.ApiKeyService;

import java.util.Objects;
import java.util.function.Supplier;

import org.springframework.util.function.SingletonSupplier;

/**
 * The format of the keys that a service verifies, asked of the service at the first request rather than while the
 * application starts: configuration code must not call a bean's methods, since the bean may be a test's mock, whose
 * {@code getFormat()} answers {@code null}. Then, and only then, {@code fallback} (the application's
 * {@code ApiKeyFormat} bean) says which bearer tokens are keys.
 */
public final class ServiceKeyFormat implements Supplier<ApiKeyFormat> {

    private final SingletonSupplier<ApiKeyFormat> format;

    public ServiceKeyFormat(Supplier<ApiKeyService> service, Supplier<ApiKeyFormat> fallback) {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(fallback, "fallback");
        this.format = SingletonSupplier.of(() -> {
            ApiKeyService verifying = service.get();
            ApiKeyFormat own = verifying == null ? null : verifying.getFormat();
            ApiKeyFormat chosen = own != null ? own : fallback.get();
            return chosen != null ? chosen : new ApiKeyFormat();
        });
    }

    @Override
    public ApiKeyFormat get() {
        return format.obtain();
    }
}
