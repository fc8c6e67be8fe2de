package io.clawmesh.coordinator.replicas;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.clawmesh.coordinator.TestDatabase;

/** The replicas table on PostgreSQL, in a schema of its own that is dropped afterwards. */
class ReplicaRegistryPostgresTests extends ReplicaRegistryTests {

    @Override
    protected TestDatabase openDatabase() {
        assumeTrue(TestDatabase.postgresAvailable(), TestDatabase.NO_POSTGRES);
        return TestDatabase.postgres();
    }
}
