package io.github.apikey.core.ratelimit;

import io.github.apikey.core.domain.ApiKey;
import io.github.apikey.core.domain.RateLimit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which limits apply to a key: its own, when it has any; else those configured for its scopes (every limit of
 * every scope it holds); else the defaults. A key to which no limit applies is not counted at all.
 */
public final class RateLimitPolicy {

    /** No defaults, no scope limits: only keys with limits of their own are limited. */
    public static final RateLimitPolicy KEYS_OWN_LIMITS = new RateLimitPolicy(List.of(), Map.of());

    private final List<RateLimit> defaults;
    private final Map<String, List<RateLimit>> byScope;

    public RateLimitPolicy(List<RateLimit> defaults, Map<String, List<RateLimit>> byScope) {
        this.defaults = List.copyOf(defaults);
        Map<String, List<RateLimit>> copy = new LinkedHashMap<>();
        byScope.forEach((scope, limits) -> {
            if (!limits.isEmpty()) {
                copy.put(scope, List.copyOf(limits));
            }
        });
        this.byScope = Map.copyOf(copy);
    }

    /** The limits that apply to {@code key}; empty if none does. */
    public List<RateLimit> limitsFor(ApiKey key) {
        if (!key.getRateLimits().isEmpty()) {
            return key.getRateLimits();
        }
        if (!byScope.isEmpty()) {
            List<RateLimit> scoped = null;
            for (String scope : key.getScopes()) {
                List<RateLimit> limits = byScope.get(scope);
                if (limits != null) {
                    if (scoped == null) {
                        scoped = new ArrayList<>();
                    }
                    for (RateLimit limit : limits) {
                        if (!scoped.contains(limit)) {
                            scoped.add(limit);
                        }
                    }
                }
            }
            if (scoped != null) {
                return scoped;
            }
        }
        return defaults;
    }

    public List<RateLimit> getDefaults() {
        return defaults;
    }

    public Map<String, List<RateLimit>> getByScope() {
        return byScope;
    }

    @Override
    public String toString() {
        return "RateLimitPolicy[defaults=" + defaults + ", byScope=" + byScope + "]";
    }
}
