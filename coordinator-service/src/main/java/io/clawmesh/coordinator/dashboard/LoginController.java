package io.clawmesh.coordinator.dashboard;

import java.security.Principal;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/** The login page, and {@code /}, which leads to the dashboard. */
@Controller
class LoginController {

    @GetMapping("/")
    String root() {
        return "redirect:" + DashboardPaths.ROOT;
    }

    @GetMapping(DashboardPaths.LOGIN)
    String login(@Nullable Principal principal) {
        return (principal != null) ? "redirect:" + DashboardPaths.ROOT : "dashboard/login";
    }
}
