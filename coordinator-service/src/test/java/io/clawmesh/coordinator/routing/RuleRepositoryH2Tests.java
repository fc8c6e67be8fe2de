package io.clawmesh.coordinator.routing;

import io.clawmesh.coordinator.TestDatabase;

class RuleRepositoryH2Tests extends RuleRepositoryTests {

    @Override
    protected TestDatabase openDatabase() {
        return TestDatabase.h2();
    }
}
