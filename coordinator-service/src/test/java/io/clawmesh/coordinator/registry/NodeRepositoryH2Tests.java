package io.clawmesh.coordinator.registry;

import io.clawmesh.coordinator.TestDatabase;

class NodeRepositoryH2Tests extends NodeRepositoryTests {

    @Override
    protected TestDatabase openDatabase() {
        return TestDatabase.h2();
    }
}
