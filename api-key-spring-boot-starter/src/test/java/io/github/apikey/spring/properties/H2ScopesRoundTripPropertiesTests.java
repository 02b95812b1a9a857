package io.github.apikey.spring.properties;

import io.github.apikey.spring.testing.TestDatabase;

import java.util.List;

class H2ScopesRoundTripPropertiesTests extends ScopesRoundTripProperties {

    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.H2;
    }

    /** H2 in memory is an embedded database, so the default mode creates the schema. */
    @Override
    protected List<String> properties() {
        return List.of();
    }
}
