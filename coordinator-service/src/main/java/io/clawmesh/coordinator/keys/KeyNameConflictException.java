package io.clawmesh.coordinator.keys;

/** A client key of that name exists already (revoked keys keep their names). */
public class KeyNameConflictException extends RuntimeException {

    public KeyNameConflictException(String name) {
        super("a client key named '" + name + "' exists already (revoked keys keep their names); choose another name");
    }
}
