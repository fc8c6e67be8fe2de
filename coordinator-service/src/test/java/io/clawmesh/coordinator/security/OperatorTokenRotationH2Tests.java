package io.clawmesh.coordinator.security;

import io.clawmesh.coordinator.TestDatabase;

class OperatorTokenRotationH2Tests extends OperatorTokenRotationTests {

    @Override
    protected TestDatabase openDatabase() {
        return TestDatabase.h2();
    }
}
