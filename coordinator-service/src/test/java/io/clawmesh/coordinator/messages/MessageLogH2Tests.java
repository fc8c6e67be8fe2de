package io.clawmesh.coordinator.messages;

import io.clawmesh.coordinator.TestDatabase;

class MessageLogH2Tests extends MessageLogTests {

    @Override
    protected TestDatabase openDatabase() {
        return TestDatabase.h2();
    }

    @Override
    protected TestDatabase openDatabase(String target) {
        return TestDatabase.h2(target);
    }
}
