package io.github.apikey.core.store;

class InMemoryApiKeyStoreTest extends ApiKeyStoreContract {

    @Override
    protected ApiKeyStore createEmptyStore() {
        return new InMemoryApiKeyStore();
    }
}
