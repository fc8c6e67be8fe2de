package io.clawmesh.coordinator.dashboard;

import io.clawmesh.coordinator.audit.AuditAction;
import io.clawmesh.coordinator.audit.AuditTrail;
import io.clawmesh.coordinator.registry.NodeNotFoundException;
import io.clawmesh.coordinator.registry.NodeRegistry;
import java.security.Principal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** One node: its capabilities and recent messages, and removing it once it is offline. */
@Controller
class NodePageController {

    private static final Logger logger = LoggerFactory.getLogger(NodePageController.class);

    private final MeshOverview overview;

    private final NodeRegistry registry;

    private final AuditTrail audit;

    NodePageController(MeshOverview overview, NodeRegistry registry, AuditTrail audit) {
        this.audit = audit;
        this.overview = overview;
        this.registry = registry;
    }

    @GetMapping(DashboardPaths.NODE)
    String node(@PathVariable String id, Model model) {
        fill(id, model);
        return "dashboard/node";
    }

    /** The live part of the node page. */
    @GetMapping(DashboardPaths.LIVE + "/nodes/{id}")
    String live(@PathVariable String id, Model model) {
        fill(id, model);
        return "dashboard/node :: live";
    }

    /**
     * Removes an offline node. A live node would only register again with its next heartbeat, so the page offers this
     * for offline nodes only, and the request is refused for others.
     */
    @PostMapping(DashboardPaths.NODE + "/remove")
    String remove(@PathVariable String id, Principal principal, RedirectAttributes redirect) {
        NodeRow node = this.overview.node(id).orElseThrow(() -> new NodeNotFoundException(id));
        if (!node.offline()) {
            redirect.addFlashAttribute(
                    "error",
                    "Node " + node.name() + " is " + node.status()
                            + ": only offline nodes can be removed here. Stop its agent first (it deregisters itself).");
            return "redirect:" + DashboardPaths.NODES + "/" + node.id();
        }
        this.registry.deregister(node.id(), "removed by " + principal.getName() + " on the dashboard");
        logger.info("Dashboard user {} removed offline node {} ({})", principal.getName(), node.name(), node.id());
        this.audit.record(
                AuditAction.NODE_REMOVE, node.name(), "offline node " + node.id() + " removed on the dashboard");
        redirect.addFlashAttribute("notice", "Removed node " + node.name() + ".");
        return "redirect:" + DashboardPaths.ROOT;
    }

    private void fill(String id, Model model) {
        NodeRow node = this.overview.node(id).orElseThrow(() -> new NodeNotFoundException(id));
        model.addAttribute("page", "overview");
        model.addAttribute("node", node);
        model.addAttribute("messages", this.overview.recentMessages(node.id()));
    }
}
