package io.clawmesh.coordinator.dashboard;

import io.clawmesh.common.node.InvalidInputException;
import io.clawmesh.common.routing.MoveRuleRequest;
import io.clawmesh.common.routing.RoutingRule;
import io.clawmesh.common.routing.RuleRequest;
import io.clawmesh.common.routing.RuleValidator;
import io.clawmesh.common.routing.Strategy;
import io.clawmesh.coordinator.routing.RoutingRules;
import io.clawmesh.coordinator.routing.RuleNotFoundException;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Arrays;
import java.util.List;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The rules page: the ordered list in words, adding a rule, deleting one and moving one up or down. */
@Controller
class RulePageController {

    private final RoutingRules rules;

    private final MeshOverview overview;

    RulePageController(RoutingRules rules, MeshOverview overview) {
        this.rules = rules;
        this.overview = overview;
    }

    @GetMapping(DashboardPaths.RULES)
    String rules(Model model) {
        fill(model, new RuleForm());
        return "dashboard/rules";
    }

    /** Adds a rule; a refused rule comes back with the form as typed and the reason next to the field it concerns. */
    @PostMapping(DashboardPaths.RULES)
    String add(
            @ModelAttribute("ruleForm") RuleForm form,
            BindingResult errors,
            Model model,
            HttpServletResponse response,
            RedirectAttributes redirect) {
        RuleRequest request = form.toRequest(errors);
        if (request != null) {
            try {
                RoutingRule rule = this.rules.add(request);
                redirect.addFlashAttribute(
                        "notice", "Added rule " + rule.id() + ": " + RuleRow.describe(rule.match()) + ".");
                return "redirect:" + DashboardPaths.RULES;
            } catch (InvalidInputException ex) {
                String field = RuleForm.fieldOf(ex.getMessage());
                if (field != null) {
                    errors.rejectValue(field, "invalid", RuleForm.forField(ex.getMessage()));
                } else {
                    errors.reject("invalid", RuleForm.forField(ex.getMessage()));
                }
            }
        }
        response.setStatus(422);
        fill(model, form);
        return "dashboard/rules";
    }

    @PostMapping(DashboardPaths.RULES + "/{id}/delete")
    String delete(@PathVariable String id, RedirectAttributes redirect) {
        try {
            this.rules.delete(id);
            redirect.addFlashAttribute("notice", "Deleted rule " + id + ".");
        } catch (RuleNotFoundException ex) {
            redirect.addFlashAttribute("error", "Rule " + id + " does not exist any more.");
        }
        return "redirect:" + DashboardPaths.RULES;
    }

    /** Moves a rule one place up (evaluated earlier) or down. */
    @PostMapping(DashboardPaths.RULES + "/{id}/move")
    String move(@PathVariable String id, @RequestParam String direction, RedirectAttributes redirect) {
        List<RoutingRule> current = this.rules.list();
        int index = indexOf(current, id);
        if (index < 0) {
            redirect.addFlashAttribute("error", "Rule " + id + " does not exist any more.");
            return "redirect:" + DashboardPaths.RULES;
        }
        int target = switch (direction) {
            case "up" -> Math.max(0, index - 1);
            case "down" -> Math.min(current.size() - 1, index + 1);
            default -> -1;
        };
        if (target < 0) {
            redirect.addFlashAttribute("error", "Move a rule up or down, not '" + direction + "'.");
        } else if (target != index) {
            try {
                this.rules.move(id, new MoveRuleRequest(target));
                redirect.addFlashAttribute("notice", "Moved rule " + id + " to position " + (target + 1) + ".");
            } catch (RuleNotFoundException ex) {
                redirect.addFlashAttribute("error", "Rule " + id + " does not exist any more.");
            }
        }
        return "redirect:" + DashboardPaths.RULES + "#rule-" + id;
    }

    private void fill(Model model, RuleForm form) {
        model.addAttribute("page", "rules");
        model.addAttribute("rules", RuleRow.of(this.rules.list()));
        model.addAttribute("ruleForm", form);
        model.addAttribute("osChoices", RuleValidator.KNOWN_OS.stream().sorted().toList());
        model.addAttribute(
                "archChoices", RuleValidator.KNOWN_ARCH.stream().sorted().toList());
        model.addAttribute(
                "strategies",
                Arrays.stream(Strategy.values()).map(Strategy::wireName).toList());
        model.addAttribute(
                "nodeNames", this.overview.nodes().stream().map(NodeRow::name).toList());
    }

    private static int indexOf(List<RoutingRule> rules, String id) {
        for (int i = 0; i < rules.size(); i++) {
            if (rules.get(i).id().equals(id)) {
                return i;
            }
        }
        return -1;
    }
}
