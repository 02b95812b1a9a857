package io.github.apikey.core.audit;

/**
 * Tells the {@code ApiKeyService} who is performing the current operation. The Spring Boot starter reads the
 * security context and the current request; without one every operation is the {@link ApiKeyActor#SYSTEM}'s.
 */
@FunctionalInterface
public interface ApiKeyActorResolver {

    ApiKeyActorResolver SYSTEM = () -> ApiKeyActor.SYSTEM;

    ApiKeyActor currentActor();
}
