package io.clawmesh.coordinator.replicas;

import io.clawmesh.coordinator.TestDatabase;

/** The scheduler lease on the embedded H2, where one coordinator runs uncontended. */
class SchedulerLeadershipH2Tests extends SchedulerLeadershipTests {

    @Override
    protected TestDatabase openDatabase() {
        return TestDatabase.h2();
    }
}
