package io.clawmesh.cli;

import io.clawmesh.cli.support.UsageException;
import io.clawmesh.common.node.InvalidInputException;
import io.clawmesh.common.routing.RuleMatchExpression;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Checks the task flags of {@code send --async} and the task ids of the {@code task} verbs before anything is sent: a
 * wrong value is a usage error (exit 2) and the coordinator never sees it.
 */
final class TaskOptions {

    private static final Pattern SPRING_DURATION = Pattern.compile("\\d{1,9}(ns|us|ms|s|m|h|d)");

    private static final Pattern TASK_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");

    private static final Pattern HEADER_VALUE = Pattern.compile("[\\x21-\\x7e]{1,255}");

    private TaskOptions() {}

    static @Nullable Integer priority(@Nullable Integer priority) {
        if (priority != null && (priority < 0 || priority > 9)) {
            throw new UsageException("send", "--priority takes 0 to 9 (higher first), not " + priority);
        }
        return priority;
    }

    /** A duration in Spring's form with a unit ({@code 90s}, {@code 10m}) or ISO-8601 ({@code PT90S}), above zero. */
    static @Nullable String timeout(@Nullable String timeout) {
        if (timeout == null) {
            return null;
        }
        boolean positive;
        if (SPRING_DURATION.matcher(timeout).matches()) {
            positive = timeout.chars().anyMatch((ch) -> ch >= '1' && ch <= '9');
        } else {
            try {
                Duration parsed = Duration.parse(timeout);
                positive = !parsed.isNegative() && !parsed.isZero();
            } catch (DateTimeParseException ex) {
                positive = false;
            }
        }
        if (!positive) {
            throw new UsageException(
                    "send",
                    "--timeout takes a duration with a unit such as 90s, 10m, 2h or PT90S, not '" + timeout + "'");
        }
        return timeout;
    }

    /** Rule syntax as {@code route add --match} takes it; sent as written. */
    static @Nullable String match(@Nullable String match) {
        if (match == null) {
            return null;
        }
        try {
            RuleMatchExpression.parse(match);
        } catch (InvalidInputException ex) {
            throw new UsageException("send", "--match: " + ex.getMessage());
        }
        return match;
    }

    /** Printable ASCII without spaces, up to 255 chars: it travels as an HTTP header. */
    static @Nullable String idempotencyKey(@Nullable String key) {
        if (key != null && !HEADER_VALUE.matcher(key).matches()) {
            throw new UsageException(
                    "send", "--idempotency-key takes 1 to 255 printable ASCII characters without spaces");
        }
        return key;
    }

    /** The task flags mean nothing without {@code --async}; silently dropping them would surprise. */
    static void onlyWithAsync(
            @Nullable Integer priority, @Nullable String timeout, @Nullable String match, @Nullable String key) {
        String given = (priority != null)
                ? "--priority"
                : (timeout != null)
                        ? "--timeout"
                        : (match != null) ? "--match" : (key != null) ? "--idempotency-key" : null;
        if (given != null) {
            throw new UsageException("send", given + " is for tasks: add --async");
        }
    }

    /** A task id as the coordinator hands them out; anything else is a typo, not worth a request. */
    static String taskId(String command, String id) {
        if (!TASK_ID.matcher(id).matches()) {
            throw new UsageException(
                    command, "'" + id + "' is not a task id (letters, digits, '.', '_', ':' and '-'; see task list)");
        }
        return id;
    }
}
