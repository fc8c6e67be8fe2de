package io.clawmesh.coordinator.tasks;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.clawmesh.coordinator.TestDatabase;

/** The same cases on PostgreSQL ({@code mesh.tasks.group-commit=on}), each test in a schema of its own. */
class TaskWriteBatcherPostgresTests extends TaskWriteBatcherTests {

    @Override
    protected TestDatabase openDatabase() {
        assumeTrue(TestDatabase.postgresAvailable(), TestDatabase.NO_POSTGRES);
        return TestDatabase.postgres();
    }
}
