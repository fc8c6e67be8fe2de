package io.clawmesh.coordinator.tasks;

import io.clawmesh.coordinator.TestDatabase;

class TaskWriteBatcherH2Tests extends TaskWriteBatcherTests {

    @Override
    protected TestDatabase openDatabase() {
        return TestDatabase.h2();
    }
}
