package io.clawmesh.coordinator;

import io.clawmesh.common.architecture.HouseRules;

/** The house rules of the coordinator: no cycle between its feature packages, no forbidden names, Jackson 3 only. */
class ArchitectureTests extends HouseRules {

    ArchitectureTests() {
        super("io.clawmesh.coordinator");
    }
}
