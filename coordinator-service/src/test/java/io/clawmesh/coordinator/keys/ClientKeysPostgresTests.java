package io.clawmesh.coordinator.keys;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.clawmesh.coordinator.TestDatabase;

/** The same cases on PostgreSQL, each test in a schema of its own that is dropped afterwards. */
class ClientKeysPostgresTests extends ClientKeysTests {

    @Override
    protected TestDatabase openDatabase() {
        assumeTrue(TestDatabase.postgresAvailable(), TestDatabase.NO_POSTGRES);
        return TestDatabase.postgres();
    }
}
