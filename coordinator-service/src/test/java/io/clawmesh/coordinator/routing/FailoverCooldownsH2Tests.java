package io.clawmesh.coordinator.routing;

import io.clawmesh.coordinator.TestDatabase;

/** Failover cooldowns on H2, the single coordinator's database. */
class FailoverCooldownsH2Tests extends FailoverCooldownsTests {

    @Override
    protected TestDatabase openDatabase() {
        return TestDatabase.h2();
    }
}
