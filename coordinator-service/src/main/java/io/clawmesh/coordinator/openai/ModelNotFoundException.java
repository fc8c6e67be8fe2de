package io.clawmesh.coordinator.openai;

import io.clawmesh.common.node.PrintableText;

/** No model of that name: answered 404 with OpenAI's {@code model_not_found} code. */
class ModelNotFoundException extends RuntimeException {

    ModelNotFoundException(String model, String why) {
        super("the model '" + PrintableText.escape(model.length() <= 120 ? model : model.substring(0, 120) + "…")
                + "' does not exist: " + why + "; GET /v1/models lists the models");
    }
}
