package io.clawmesh.coordinator.keys;

import io.clawmesh.coordinator.TestDatabase;

class ClientKeysH2Tests extends ClientKeysTests {

    @Override
    protected TestDatabase openDatabase() {
        return TestDatabase.h2();
    }
}
