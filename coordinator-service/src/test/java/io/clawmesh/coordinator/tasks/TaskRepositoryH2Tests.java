package io.clawmesh.coordinator.tasks;

import io.clawmesh.coordinator.TestDatabase;

class TaskRepositoryH2Tests extends TaskRepositoryTests {

    @Override
    protected TestDatabase openDatabase() {
        return TestDatabase.h2();
    }
}
