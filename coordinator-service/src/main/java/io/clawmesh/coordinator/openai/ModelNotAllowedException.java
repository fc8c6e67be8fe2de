package io.clawmesh.coordinator.openai;

/** The client key may not use that model: answered 403. */
class ModelNotAllowedException extends RuntimeException {

    ModelNotAllowedException(String model, String keyName) {
        super("the client key '" + keyName + "' may not use the model '" + model
                + "'; GET /v1/models lists the models it may use");
    }
}
