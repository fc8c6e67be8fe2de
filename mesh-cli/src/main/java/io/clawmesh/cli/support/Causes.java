package io.clawmesh.cli.support;

import org.jspecify.annotations.Nullable;

/** Walks an exception's cause chain (which may loop back on itself) for the CLI's error messages. */
public final class Causes {

    private Causes() {}

    /** The first throwable of {@code type} in the chain, starting with {@code ex} itself. */
    public static <T extends Throwable> @Nullable T find(Throwable ex, Class<T> type) {
        for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return type.cast(cause);
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return null;
    }

    public static boolean has(Throwable ex, Class<? extends Throwable> type) {
        return find(ex, type) != null;
    }

    /** The message of the deepest cause, or its class name when it has none. */
    public static String rootMessage(Throwable ex) {
        Throwable cause = ex;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return (cause.getMessage() != null)
                ? cause.getMessage()
                : cause.getClass().getSimpleName();
    }
}
