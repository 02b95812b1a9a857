package io.github.apikey.spring.audit;

import io.github.apikey.spring.testing.TestDatabase;

class MariaDbAuditTrailTests extends JpaAuditTrailContractTests {

    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.MARIADB;
    }
}
