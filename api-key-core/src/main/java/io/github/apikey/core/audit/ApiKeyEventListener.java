package io.github.apikey.core.audit;

/**
 * Told of each stored event once the operation that recorded it returned: after its transaction committed, or, inside
 * a transaction of the caller's, while that transaction is still open (the Spring Boot starter defers it to the
 * commit). An exception it throws is logged as a warning and does not fail the operation, which is stored.
 */
@FunctionalInterface
public interface ApiKeyEventListener {

    ApiKeyEventListener NONE = event -> {
    };

    void onEvent(ApiKeyEvent event);
}
