package io.github.apikey.spring.properties;

import io.github.apikey.spring.testing.TestDatabase;

class MariaDbScopesRoundTripPropertiesTests extends ScopesRoundTripProperties {

    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.MARIADB;
    }
}
