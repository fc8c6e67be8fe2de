package io.clawmesh.coordinator.messages;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.clawmesh.coordinator.TestDatabase;

/** The same cases on the local PostgreSQL, each test in a schema of its own that is dropped afterwards. */
class MessageLogPostgresTests extends MessageLogTests {

    @Override
    protected TestDatabase openDatabase() {
        // Checked per test rather than in @BeforeAll, so that Surefire counts every skipped case with its reason.
        assumeTrue(TestDatabase.postgresAvailable(), TestDatabase.NO_POSTGRES);
        return TestDatabase.postgres();
    }

    @Override
    protected TestDatabase openDatabase(String target) {
        assumeTrue(TestDatabase.postgresAvailable(), TestDatabase.NO_POSTGRES);
        return TestDatabase.postgres(target);
    }
}
