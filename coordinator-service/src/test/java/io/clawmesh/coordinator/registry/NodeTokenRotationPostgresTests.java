package io.clawmesh.coordinator.registry;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.clawmesh.coordinator.TestDatabase;

/** The same cases on the local PostgreSQL, each test in a schema of its own that is dropped afterwards. */
class NodeTokenRotationPostgresTests extends NodeTokenRotationTests {

    @Override
    protected TestDatabase openDatabase() {
        assumeTrue(TestDatabase.postgresAvailable(), TestDatabase.NO_POSTGRES);
        return TestDatabase.postgres();
    }
}
