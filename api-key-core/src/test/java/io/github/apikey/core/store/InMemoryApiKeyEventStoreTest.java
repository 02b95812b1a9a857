package io.github.apikey.core.store;

class InMemoryApiKeyEventStoreTest extends ApiKeyEventStoreContract {

    @Override
    protected ApiKeyEventStore createEmptyStore() {
        return new InMemoryApiKeyEventStore();
    }
}
