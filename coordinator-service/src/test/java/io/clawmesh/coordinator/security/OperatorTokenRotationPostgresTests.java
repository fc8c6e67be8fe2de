package io.clawmesh.coordinator.security;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.clawmesh.coordinator.TestDatabase;

/** The same cases on the local PostgreSQL, each test in a schema of its own that is dropped afterwards. */
class OperatorTokenRotationPostgresTests extends OperatorTokenRotationTests {

    @Override
    protected TestDatabase openDatabase() {
        assumeTrue(TestDatabase.postgresAvailable(), TestDatabase.NO_POSTGRES);
        return TestDatabase.postgres();
    }
}
