package io.clawmesh.coordinator.audit;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The fixed vocabulary of audited actions; the wire name is what the API, the CLI and the table show. */
public enum AuditAction {
    RULE_CREATE("rule.create"),
    RULE_UPDATE("rule.update"),
    RULE_DELETE("rule.delete"),
    NODE_REMOVE("node.remove"),
    TOKEN_ROTATE("token.rotate"),
    NODE_TOKEN_ROTATE("node.token_rotate"),
    TASK_CANCEL("task.cancel"),
    DASHBOARD_LOGIN("dashboard.login"),
    DASHBOARD_LOGIN_FAILED("dashboard.login_failed"),
    KEY_CREATE("key.create"),
    KEY_REVOKE("key.revoke");

    private final String wireName;

    AuditAction(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return this.wireName;
    }

    /**
     * The action with this wire name.
     *
     * @throws IllegalArgumentException naming the known actions
     */
    public static AuditAction fromWire(String wireName) {
        String wanted = wireName.strip().toLowerCase(Locale.ROOT);
        return Arrays.stream(values())
                .filter((action) -> action.wireName.equals(wanted))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown action '" + wireName + "'; known: "
                        + Arrays.stream(values()).map(AuditAction::wireName).collect(Collectors.joining(", "))));
    }
}
