package io.clawmesh.coordinator.replicas;

/** Replica identities for tests of other features. */
public final class ReplicaIdentityFixtures {

    private ReplicaIdentityFixtures() {}

    public static ReplicaIdentity named(String id) {
        return ReplicaIdentity.of(id);
    }
}
