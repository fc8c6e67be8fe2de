package io.clawmesh.coordinator.audit;

/**
 * An authenticated caller that can say who it is for the audit trail; security's token authentication implements it,
 * so that {@link AuditTrail} finds the actor of the current request without knowing the security package.
 */
public interface ActingCaller {

    /** Who this caller is in audit entries. */
    Actor actor();
}
