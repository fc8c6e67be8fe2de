package io.clawmesh.coordinator.mcp;

/** A tool was called with an argument missing, of the wrong type or out of range; the message says which and why. */
class ToolArgumentException extends RuntimeException {

    ToolArgumentException(String message) {
        super(message);
    }
}
