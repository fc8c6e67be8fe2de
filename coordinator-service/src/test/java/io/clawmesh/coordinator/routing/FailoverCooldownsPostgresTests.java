package io.clawmesh.coordinator.routing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.clawmesh.coordinator.TestDatabase;

/** Failover cooldowns shared by replicas on PostgreSQL, in a schema of its own that is dropped afterwards. */
class FailoverCooldownsPostgresTests extends FailoverCooldownsTests {

    @Override
    protected TestDatabase openDatabase() {
        assumeTrue(TestDatabase.postgresAvailable(), TestDatabase.NO_POSTGRES);
        return TestDatabase.postgres();
    }
}
