package io.clawmesh.coordinator.registry;

import io.clawmesh.coordinator.TestDatabase;

class NodeTokenRotationH2Tests extends NodeTokenRotationTests {

    @Override
    protected TestDatabase openDatabase() {
        return TestDatabase.h2();
    }
}
