package io.clawmesh.coordinator.keys;

/** No client key with that id or name. */
public class KeyNotFoundException extends RuntimeException {

    public KeyNotFoundException(String idOrName) {
        super("no client key with id or name '" + idOrName + "'; 'claw-mesh key list' shows them");
    }
}
