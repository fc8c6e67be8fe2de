package io.clawmesh.coordinator.dashboard;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.clawmesh.coordinator.TestDatabase;

/** The login throttle on PostgreSQL, in a schema of its own that is dropped afterwards. */
class LoginThrottlePostgresTests extends LoginThrottleTests {

    @Override
    protected TestDatabase openDatabase() {
        assumeTrue(TestDatabase.postgresAvailable(), TestDatabase.NO_POSTGRES);
        return TestDatabase.postgres();
    }
}
