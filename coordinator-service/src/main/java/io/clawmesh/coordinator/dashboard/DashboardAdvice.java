package io.clawmesh.coordinator.dashboard;

import io.clawmesh.coordinator.registry.NodeNotFoundException;
import io.clawmesh.coordinator.tasks.TaskNotFoundException;
import java.security.Principal;
import org.jspecify.annotations.Nullable;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.ResponseStatus;

/**
 * What every dashboard page needs (who is logged in, how often live parts refresh) and its error pages; comes before
 * the API's problem handler so that a page never answers with JSON.
 */
@ControllerAdvice(basePackageClasses = DashboardAdvice.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class DashboardAdvice {

    private final DashboardProperties properties;

    DashboardAdvice(DashboardProperties properties) {
        this.properties = properties;
    }

    @ModelAttribute
    void common(@Nullable Principal principal, Model model) {
        model.addAttribute("user", (principal != null) ? principal.getName() : "");
        model.addAttribute("liveRefreshMs", this.properties.liveRefresh().toMillis());
    }

    @ExceptionHandler
    @ResponseStatus(HttpStatus.NOT_FOUND)
    String nodeNotFound(NodeNotFoundException ex, Model model) {
        model.addAttribute("page", "overview");
        model.addAttribute("missing", "node");
        return "dashboard/not-found";
    }

    @ExceptionHandler
    @ResponseStatus(HttpStatus.NOT_FOUND)
    String taskNotFound(TaskNotFoundException ex, Model model) {
        model.addAttribute("page", "tasks");
        model.addAttribute("missing", "task");
        return "dashboard/not-found";
    }
}
