package io.clawmesh.coordinator.tasks;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.clawmesh.coordinator.TestDatabase;

/** The same cases on PostgreSQL, each test in a schema of its own that is dropped afterwards. */
class TaskRepositoryPostgresTests extends TaskRepositoryTests {

    @Override
    protected TestDatabase openDatabase() {
        assumeTrue(TestDatabase.postgresAvailable(), TestDatabase.NO_POSTGRES);
        return TestDatabase.postgres();
    }
}
