package io.clawmesh.coordinator.replicas;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.clawmesh.coordinator.TestDatabase;

/** The scheduler lease on PostgreSQL, in a schema of its own that is dropped afterwards. */
class SchedulerLeadershipPostgresTests extends SchedulerLeadershipTests {

    @Override
    protected TestDatabase openDatabase() {
        assumeTrue(TestDatabase.postgresAvailable(), TestDatabase.NO_POSTGRES);
        return TestDatabase.postgres();
    }
}
