package io.github.apikey.spring.jpa;

import io.github.apikey.spring.testing.TestDatabase;

class MariaDbJpaApiKeyStoreTests extends JpaApiKeyStoreContractTests {

    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.MARIADB;
    }
}
