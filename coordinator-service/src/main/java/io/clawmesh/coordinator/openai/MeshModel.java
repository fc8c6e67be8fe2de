package io.clawmesh.coordinator.openai;

import java.util.Optional;

/**
 * A model name of the OpenAI-compatible API: it names where a message runs, not which LLM. {@code mesh/auto} routes by
 * the rules; {@code mesh/node/NAME} sends to that node; {@code mesh/skill/NAME} to a node that offers the skill (or
 * tag); {@code mesh/group/NAME} to a group (groups do not exist yet, so no such model exists).
 *
 * @param kind what the name says
 * @param name the node, skill or group; empty for {@code mesh/auto}
 */
record MeshModel(Kind kind, String name) {

    static final String PREFIX = "mesh/";

    static final String AUTO = PREFIX + "auto";

    enum Kind {
        AUTO("auto"),
        NODE("node"),
        SKILL("skill"),
        GROUP("group");

        private final String word;

        Kind(String word) {
            this.word = word;
        }
    }

    /** The model's name as clients write it. */
    String id() {
        return (this.kind == Kind.AUTO) ? AUTO : PREFIX + this.kind.word + "/" + this.name;
    }

    static MeshModel node(String name) {
        return new MeshModel(Kind.NODE, name);
    }

    static MeshModel skill(String name) {
        return new MeshModel(Kind.SKILL, name);
    }

    /** The model a name spells; empty when it is not of the form above. */
    static Optional<MeshModel> parse(String model) {
        if (model.equals(AUTO)) {
            return Optional.of(new MeshModel(Kind.AUTO, ""));
        }
        for (Kind kind : Kind.values()) {
            String prefix = PREFIX + kind.word + "/";
            if (kind != Kind.AUTO && model.startsWith(prefix) && model.length() > prefix.length()) {
                String name = model.substring(prefix.length());
                if (name.length() <= 100 && name.indexOf('/') < 0) {
                    return Optional.of(new MeshModel(kind, name));
                }
            }
        }
        return Optional.empty();
    }
}
