package io.clawmesh.coordinator.openai;

import io.clawmesh.coordinator.keys.ClientKey;
import io.clawmesh.coordinator.registry.Node;
import io.clawmesh.coordinator.registry.NodeRegistry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * The models of the OpenAI-compatible API, made from the registry: {@code mesh/auto}, one {@code mesh/node/NAME} per
 * registered node, one {@code mesh/skill/NAME} per skill (or tag) some node offers. Filtered by a client key's allowed
 * models.
 */
@Component
class ModelCatalog {

    private final NodeRegistry registry;

    ModelCatalog(NodeRegistry registry) {
        this.registry = registry;
    }

    /** Every model {@code key} may use ({@code null}: the operator, every model), auto first, then sorted. */
    List<String> list(@Nullable ClientKey key) {
        Collection<Node> nodes = this.registry.all();
        TreeSet<String> nodeModels = new TreeSet<>();
        TreeSet<String> skillModels = new TreeSet<>();
        for (Node node : nodes) {
            nodeModels.add(MeshModel.node(node.name()).id());
            node.capabilities()
                    .skills()
                    .forEach((skill) -> skillModels.add(MeshModel.skill(skill).id()));
            node.capabilities()
                    .tags()
                    .forEach((tag) -> skillModels.add(MeshModel.skill(tag).id()));
        }
        List<String> models = new ArrayList<>();
        models.add(MeshModel.AUTO);
        models.addAll(nodeModels);
        models.addAll(skillModels);
        return models.stream()
                .filter((model) -> key == null || key.allowsModel(model))
                .toList();
    }

    /**
     * The model {@code model} names, checked against what exists and what {@code key} may use.
     *
     * @throws ModelNotFoundException when it does not exist
     * @throws ModelNotAllowedException when {@code key} may not use it
     */
    MeshModel resolve(String model, @Nullable ClientKey key) {
        MeshModel parsed = MeshModel.parse(model)
                .orElseThrow(() -> new ModelNotFoundException(
                        model, "models are mesh/auto, mesh/node/NAME, mesh/skill/NAME and mesh/group/NAME"));
        switch (parsed.kind()) {
            case NODE -> {
                if (this.registry.findByIdOrName(parsed.name()).isEmpty()) {
                    throw new ModelNotFoundException(model, "no node is named " + parsed.name());
                }
            }
            case SKILL -> {
                if (this.registry.all().stream()
                        .noneMatch((node) -> node.capabilities().offers(parsed.name()))) {
                    throw new ModelNotFoundException(model, "no registered node offers the skill " + parsed.name());
                }
            }
            case GROUP -> throw new ModelNotFoundException(model, "groups do not exist yet");
            case AUTO -> {
                // always there
            }
        }
        if (key != null && !key.allowsModel(parsed.id())) {
            throw new ModelNotAllowedException(parsed.id(), key.name());
        }
        return parsed;
    }

    /** The available nodes that offer {@code skill}, the least busy first. */
    List<Node> skilled(String skill) {
        return this.registry.routable().stream()
                .filter((node) -> node.capabilities().offers(skill))
                .toList();
    }
}
