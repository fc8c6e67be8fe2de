package io.clawmesh.coordinator.audit;

import io.clawmesh.coordinator.TestDatabase;

class AuditTrailH2Tests extends AuditTrailTests {

    @Override
    protected TestDatabase openDatabase() {
        return TestDatabase.h2();
    }
}
