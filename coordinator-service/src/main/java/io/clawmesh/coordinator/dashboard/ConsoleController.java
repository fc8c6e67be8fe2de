package io.clawmesh.coordinator.dashboard;

import io.clawmesh.common.message.RouteRequest;
import io.clawmesh.common.message.RouteResponse;
import io.clawmesh.common.node.InvalidInputException;
import io.clawmesh.coordinator.forwarding.ForwardingFailedException;
import io.clawmesh.coordinator.forwarding.ForwardingTimeoutException;
import io.clawmesh.coordinator.forwarding.MessageForwarder;
import io.clawmesh.coordinator.registry.NodeNotFoundException;
import io.clawmesh.coordinator.routing.NoRouteAvailableException;
import io.clawmesh.coordinator.routing.NodeUnavailableException;
import jakarta.servlet.http.HttpServletResponse;
import java.security.Principal;
import java.time.Clock;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;

/** The console: send a message routed by the rules or to a chosen node, and read the reply. */
@Controller
class ConsoleController {

    private final MessageForwarder forwarder;

    private final MeshOverview overview;

    private final Clock clock;

    ConsoleController(MessageForwarder forwarder, MeshOverview overview, Clock clock) {
        this.forwarder = forwarder;
        this.overview = overview;
        this.clock = clock;
    }

    @GetMapping(DashboardPaths.CONSOLE)
    String console(Model model) {
        fill(model, new ConsoleForm());
        return "dashboard/console";
    }

    @PostMapping(DashboardPaths.CONSOLE)
    String send(
            @ModelAttribute("consoleForm") ConsoleForm form,
            BindingResult errors,
            Principal principal,
            Model model,
            HttpServletResponse response) {
        fill(model, form);
        if (form.getContent().isBlank()) {
            errors.rejectValue("content", "required", "write a message to send");
            response.setStatus(422);
            return "dashboard/console";
        }
        RouteRequest request = new RouteRequest(
                form.getContent(),
                "dashboard:" + principal.getName(),
                form.getSessionKey().isBlank() ? null : form.getSessionKey().strip());
        long start = this.clock.millis();
        try {
            RouteResponse answer = form.getNode().isBlank()
                    ? this.forwarder.route(request)
                    : this.forwarder.routeTo(form.getNode(), request);
            model.addAttribute(
                    "result",
                    new ConsoleResult(
                            answer.messageId(),
                            answer.nodeId(),
                            answer.nodeName(),
                            this.clock.millis() - start,
                            answer.response(),
                            null));
        } catch (InvalidInputException ex) {
            errors.rejectValue("content", "invalid", ex.getMessage());
            response.setStatus(422);
        } catch (NoRouteAvailableException
                | NodeNotFoundException
                | NodeUnavailableException
                | ForwardingFailedException
                | ForwardingTimeoutException ex) {
            model.addAttribute(
                    "result", new ConsoleResult(null, null, null, this.clock.millis() - start, null, ex.getMessage()));
        }
        return "dashboard/console";
    }

    private void fill(Model model, ConsoleForm form) {
        model.addAttribute("page", "console");
        model.addAttribute("consoleForm", form);
        model.addAttribute("nodes", this.overview.nodes());
    }
}
