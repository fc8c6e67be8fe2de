package io.clawmesh.cli.output;

import io.clawmesh.common.key.ClientKeyView;
import io.clawmesh.common.node.ConnectMode;
import io.clawmesh.common.node.NodeView;
import io.clawmesh.common.routing.RoutingRule;
import io.clawmesh.common.routing.RuleMatchExpression;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The tables of {@code nodes} and {@code route list}, and the detail view of {@code node show}; node-supplied text is
 * printed {@linkplain Untrusted escaped}.
 */
public final class MeshTables {

    private MeshTables() {}

    /** NAME, ID, STATUS, RUNTIME, ENDPOINT, OS/ARCH, GPU, LOAD, TAGS, LAST SEEN; one row per node, by name. */
    public static String nodes(List<NodeView> nodes, Instant now, Style style) {
        Table table =
                new Table("NAME", "ID", "STATUS", "RUNTIME", "ENDPOINT", "OS/ARCH", "GPU", "LOAD", "TAGS", "LAST SEEN");
        nodes.stream().sorted(java.util.Comparator.comparing(NodeView::name)).forEach((node) -> {
            List<UnaryOperator<String>> styles =
                    new ArrayList<>(java.util.Collections.nCopies(10, UnaryOperator.identity()));
            styles.set(2, style.status(node.status()));
            table.row(
                    List.of(
                            node.name(),
                            node.id(),
                            node.status().wireName(),
                            runtime(node),
                            endpoint(node),
                            osArch(node),
                            node.capabilities().gpu() ? "yes" : "-",
                            node.inflight() + "/" + node.capacity(),
                            node.capabilities().tags().isEmpty()
                                    ? "-"
                                    : String.join(",", node.capabilities().tags()),
                            Ago.of(node.lastHeartbeat(), now)),
                    styles);
        });
        return table.toString();
    }

    /** The endpoint column: an outbound node is reached over the connection it opened, whatever it advertised. */
    private static String endpoint(NodeView node) {
        if (node.connect() != ConnectMode.OUTBOUND) {
            return node.endpoint();
        }
        return node.endpoint().isEmpty() ? "outbound" : "outbound (" + node.endpoint() + ")";
    }

    /** #, ID, MATCH (as {@code route add --match} takes it), TARGET, STRATEGY; in rule order. */
    public static String rules(List<RoutingRule> rules) {
        Table table = new Table("#", "ID", "MATCH", "TARGET", "STRATEGY");
        for (int i = 0; i < rules.size(); i++) {
            RoutingRule rule = rules.get(i);
            table.row(
                    String.valueOf(i),
                    rule.id(),
                    RuleMatchExpression.format(rule.match()),
                    (rule.target() != null) ? rule.target() : "-",
                    rule.strategy().wireName());
        }
        return table.toString();
    }

    /** NAME, ID, MODELS, RATE, STATUS, LAST USED, USES; one row per client key, as the coordinator lists them. */
    public static String keys(List<ClientKeyView> keys, Instant now) {
        Table table = new Table("NAME", "ID", "MODELS", "RATE", "STATUS", "LAST USED", "USES");
        for (ClientKeyView key : keys) {
            table.row(
                    key.name(),
                    key.id(),
                    key.models().isEmpty() ? "all" : String.join(",", key.models()),
                    (key.ratePerMinute() != null) ? key.ratePerMinute() + "/min" : "-",
                    (key.revokedAt() != null) ? "revoked " + Ago.of(key.revokedAt(), now) : "active",
                    Ago.of(key.lastUsedAt(), now),
                    String.valueOf(key.useCount()));
        }
        return table.toString();
    }

    /** One node as {@code key: value} lines. */
    public static String node(NodeView node, Instant now, Style style) {
        StringBuilder text = new StringBuilder();
        field(text, "name", node.name());
        field(text, "id", node.id());
        styledField(
                text,
                "status",
                style.status(node.status()).apply(Untrusted.cell(node.status().wireName())));
        field(text, "endpoint", node.endpoint().isEmpty() ? "-" : node.endpoint());
        // a coordinator older than ADR 0010 sends no connect mode: its nodes are inbound
        ConnectMode connect = node.connect();
        field(text, "connect", (connect != null) ? connect.wireName() : ConnectMode.INBOUND.wireName());
        field(
                text,
                "runtime",
                runtime(node)
                        + ((node.runtime().version() != null)
                                ? " " + node.runtime().version()
                                : ""));
        field(text, "os/arch", osArch(node));
        field(text, "gpu", node.capabilities().gpu() ? "yes" : "no");
        field(
                text,
                "memory",
                (node.capabilities().memoryGb() > 0) ? node.capabilities().memoryGb() + " GB" : "unknown");
        field(text, "tags", String.join(", ", node.capabilities().tags()));
        field(text, "skills", String.join(", ", node.capabilities().skills()));
        field(text, "load", node.inflight() + " of " + node.capacity() + " in flight");
        field(
                text,
                "last seen",
                Ago.of(node.lastHeartbeat(), now)
                        + ((node.lastHeartbeat() != null) ? " (" + node.lastHeartbeat() + ")" : ""));
        field(text, "registered", String.valueOf(node.registeredAt()));
        return text.toString();
    }

    /** A {@code name: value} line; the value is escaped, so node-supplied text stays on its line. */
    private static void field(StringBuilder text, String name, String value) {
        styledField(text, name, Untrusted.cell(value));
    }

    private static void styledField(StringBuilder text, String name, String value) {
        text.append(String.format("%-11s %s%n", name + ":", value.isEmpty() ? "-" : value));
    }

    private static String runtime(NodeView node) {
        return node.runtime().kind() + (node.runtime().connected() ? "" : " (down)");
    }

    private static String osArch(NodeView node) {
        String os = node.capabilities().os();
        String arch = node.capabilities().arch();
        return (os.isEmpty() && arch.isEmpty()) ? "-" : os + "/" + arch;
    }
}
