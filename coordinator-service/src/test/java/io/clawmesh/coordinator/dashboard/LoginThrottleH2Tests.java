package io.clawmesh.coordinator.dashboard;

import io.clawmesh.coordinator.TestDatabase;

/** The login throttle on H2, the single coordinator's database. */
class LoginThrottleH2Tests extends LoginThrottleTests {

    @Override
    protected TestDatabase openDatabase() {
        return TestDatabase.h2();
    }
}
