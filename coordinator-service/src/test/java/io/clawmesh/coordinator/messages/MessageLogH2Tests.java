package io.clawmesh.coordinator.messages;

import io.clawmesh.coordinator.TestDatabase;

class MessageLogH2Tests extends MessageLogTests {

    @Override
    protected TestDatabase openDatabase() {
        return TestDatabase.h2();
    }
}
