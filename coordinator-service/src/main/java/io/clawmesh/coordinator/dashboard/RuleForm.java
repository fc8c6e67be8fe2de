package io.clawmesh.coordinator.dashboard;

import io.clawmesh.common.routing.RuleMatch;
import io.clawmesh.common.routing.RuleRequest;
import io.clawmesh.common.routing.Strategy;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.validation.Errors;

/**
 * The add-rule form. Mutable, since Spring binds request parameters to it and Thymeleaf reads it back (with the
 * values as typed) when the rule is refused. Blank fields require nothing.
 */
public class RuleForm {

    private String gpu = "any";

    private String os = "";

    private String arch = "";

    private String skill = "";

    private String tags = "";

    private String minMemoryGb = "";

    private boolean wildcard;

    private String target = "";

    private String strategy = Strategy.LEAST_BUSY.wireName();

    /**
     * The API request this form describes, or {@code null} with field errors when a field cannot be read at all (the
     * rule's own checks run after this, in {@link io.clawmesh.coordinator.routing.RoutingRules#add}).
     */
    @Nullable
    RuleRequest toRequest(Errors errors) {
        Boolean requiresGpu = switch (this.gpu) {
            case "yes" -> Boolean.TRUE;
            case "no" -> Boolean.FALSE;
            case "any", "" -> null;
            default -> {
                errors.rejectValue("gpu", "invalid", "choose any, yes or no");
                yield null;
            }
        };
        Integer memory = null;
        if (!this.minMemoryGb.isBlank()) {
            try {
                memory = Integer.valueOf(this.minMemoryGb.strip());
            } catch (NumberFormatException ex) {
                errors.rejectValue("minMemoryGb", "invalid", "enter a whole number of GB, such as 16");
            }
        }
        Strategy chosen = null;
        try {
            chosen = Strategy.fromWire(this.strategy);
        } catch (RuntimeException ex) {
            errors.rejectValue("strategy", "invalid", ex.getMessage());
        }
        if (errors.hasErrors()) {
            return null;
        }
        List<String> tagList = Arrays.stream(this.tags.split(","))
                .map(String::strip)
                .filter((tag) -> !tag.isEmpty())
                .toList();
        RuleMatch match = new RuleMatch(
                requiresGpu,
                blankToNull(this.os),
                blankToNull(this.skill),
                this.wildcard ? Boolean.TRUE : null,
                blankToNull(this.arch),
                tagList.isEmpty() ? null : tagList,
                memory);
        return new RuleRequest(match, blankToNull(this.target), chosen);
    }

    /**
     * The form field a rule check's message is about, from the API field name it starts with; {@code null} for a
     * message about the rule as a whole.
     */
    static @Nullable String fieldOf(String message) {
        String lower = message.toLowerCase(Locale.ROOT);
        if (lower.startsWith("requires_os")) {
            return "os";
        }
        if (lower.startsWith("requires_arch")) {
            return "arch";
        }
        if (lower.startsWith("requires_skill")) {
            return "skill";
        }
        if (lower.startsWith("requires_tags")) {
            return "tags";
        }
        if (lower.startsWith("min_memory_gb")) {
            return "minMemoryGb";
        }
        if (lower.startsWith("target") || lower.startsWith("a wildcard rule has no target")) {
            return "target";
        }
        return null;
    }

    /**
     * A rule check's message as shown next to its form field: without the API field name it starts with (the label
     * says which field it is), beginning with a capital.
     */
    static String forField(String message) {
        int space = message.indexOf(' ');
        String first = (space > 0) ? message.substring(0, space) : "";
        String rest = (first.contains("_") || first.equals("target")) ? message.substring(space + 1) : message;
        return rest.isEmpty() ? message : Character.toUpperCase(rest.charAt(0)) + rest.substring(1);
    }

    private static @Nullable String blankToNull(@Nullable String value) {
        return (value == null || value.isBlank()) ? null : value.strip();
    }

    public String getGpu() {
        return this.gpu;
    }

    public void setGpu(@Nullable String gpu) {
        this.gpu = (gpu != null) ? gpu : "any";
    }

    public String getOs() {
        return this.os;
    }

    public void setOs(@Nullable String os) {
        this.os = (os != null) ? os : "";
    }

    public String getArch() {
        return this.arch;
    }

    public void setArch(@Nullable String arch) {
        this.arch = (arch != null) ? arch : "";
    }

    public String getSkill() {
        return this.skill;
    }

    public void setSkill(@Nullable String skill) {
        this.skill = (skill != null) ? skill : "";
    }

    public String getTags() {
        return this.tags;
    }

    public void setTags(@Nullable String tags) {
        this.tags = (tags != null) ? tags : "";
    }

    public String getMinMemoryGb() {
        return this.minMemoryGb;
    }

    public void setMinMemoryGb(@Nullable String minMemoryGb) {
        this.minMemoryGb = (minMemoryGb != null) ? minMemoryGb : "";
    }

    public boolean isWildcard() {
        return this.wildcard;
    }

    public void setWildcard(boolean wildcard) {
        this.wildcard = wildcard;
    }

    public String getTarget() {
        return this.target;
    }

    public void setTarget(@Nullable String target) {
        this.target = (target != null) ? target : "";
    }

    public String getStrategy() {
        return this.strategy;
    }

    public void setStrategy(@Nullable String strategy) {
        this.strategy = (strategy != null) ? strategy : Strategy.LEAST_BUSY.wireName();
    }
}
