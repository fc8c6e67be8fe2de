package io.clawmesh.coordinator.routing;

/** No rule has the given id. */
public class RuleNotFoundException extends RuntimeException {

    public RuleNotFoundException(String id) {
        super("no rule '" + id + "'; list rules with GET /api/v1/rules");
    }
}
