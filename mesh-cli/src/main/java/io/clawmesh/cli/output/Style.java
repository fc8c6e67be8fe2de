package io.clawmesh.cli.output;

import io.clawmesh.common.node.NodeStatus;
import java.util.function.UnaryOperator;

/**
 * ANSI colours, only when the output is a terminal and {@code NO_COLOR} is not set. The launcher says whether standard
 * output is a terminal ({@code -Dclaw-mesh.color=true}); without it, the JVM's console decides.
 */
public final class Style {

    private final boolean enabled;

    public Style(boolean enabled) {
        this.enabled = enabled;
    }

    /** Colour when standard output is a terminal. */
    public static Style detect() {
        if (System.getenv("NO_COLOR") != null) {
            return new Style(false);
        }
        String forced = System.getProperty("claw-mesh.color");
        if (forced != null) {
            return new Style(Boolean.parseBoolean(forced));
        }
        return new Style(isTerminal());
    }

    /** The colour of a node status: green online, yellow busy or degraded, red offline. */
    public UnaryOperator<String> status(NodeStatus status) {
        return switch (status) {
            case ONLINE -> color("32");
            case BUSY, DEGRADED -> color("33");
            case OFFLINE -> color("31");
        };
    }

    private UnaryOperator<String> color(String code) {
        return this.enabled ? (text) -> "\u001b[" + code + "m" + text + "\u001b[0m" : UnaryOperator.identity();
    }

    private static boolean isTerminal() {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            // JDK 22+: a console exists even when redirected; isTerminal() tells the truth
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException ex) {
            return true;
        }
    }
}
