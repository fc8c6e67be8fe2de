package io.clawmesh.coordinator.replicas;

import io.clawmesh.coordinator.TestDatabase;

/** The replicas table on H2, the single coordinator's database. */
class ReplicaRegistryH2Tests extends ReplicaRegistryTests {

    @Override
    protected TestDatabase openDatabase() {
        return TestDatabase.h2();
    }
}
