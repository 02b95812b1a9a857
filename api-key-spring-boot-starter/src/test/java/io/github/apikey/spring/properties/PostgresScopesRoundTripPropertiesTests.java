package io.github.apikey.spring.properties;

import io.github.apikey.spring.testing.TestDatabase;

class PostgresScopesRoundTripPropertiesTests extends ScopesRoundTripProperties {

    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRESQL;
    }
}
