package io.clawmesh.coordinator.tasks;

import io.clawmesh.common.node.InvalidInputException;
import io.clawmesh.common.node.PrintableText;
import io.clawmesh.common.routing.RuleMatch;
import io.clawmesh.common.routing.RuleMatchExpression;
import io.clawmesh.common.routing.RuleRequest;
import io.clawmesh.common.routing.RuleValidator;
import io.clawmesh.common.task.TaskRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.convert.DurationStyle;

/**
 * A checked task submission in canonical form: defaults filled in, the match parsed, the timeout a duration, and the
 * hash that tells an idempotent resubmission from a reused key.
 *
 * @param match the match in canonical expression form
 * @param parsedMatch the same, parsed
 */
record TaskSubmission(
        String content,
        String source,
        @Nullable String sessionKey,
        @Nullable String target,
        @Nullable String match,
        @Nullable RuleMatch parsedMatch,
        int priority,
        Duration timeout,
        @Nullable String idempotencyKey) {

    static final int MAX_CONTENT_CHARS = 512 * 1024;

    static final int DEFAULT_PRIORITY = 5;

    static final int MAX_IDEMPOTENCY_KEY_CHARS = 200;

    /** The shortest timeout a task may have. */
    static final Duration MIN_TIMEOUT = Duration.ofSeconds(1);

    /**
     * Checks a request.
     *
     * @throws InvalidInputException naming the field that is wrong and how to fix it
     */
    static TaskSubmission of(
            TaskRequest request, @Nullable String idempotencyKey, Duration defaultTimeout, Duration maxTimeout) {
        String content = request.content();
        if (content == null || content.isBlank()) {
            throw new InvalidInputException("content is required and must not be blank");
        }
        if (content.length() > MAX_CONTENT_CHARS) {
            throw new InvalidInputException(
                    "content has " + content.length() + " characters; at most " + MAX_CONTENT_CHARS + " are allowed");
        }
        String source = (request.source() != null) ? request.source() : "api";
        if (source.isEmpty() || source.length() > 200) {
            throw new InvalidInputException("source must be 1-200 characters");
        }
        PrintableText.require("source", source);
        if (request.sessionKey() != null
                && (request.sessionKey().isEmpty() || request.sessionKey().length() > 256)) {
            throw new InvalidInputException("session_key must be 1-256 characters");
        }
        PrintableText.require("session_key", request.sessionKey());
        String target = request.target();
        if (target != null && (target.isBlank() || target.length() > 100)) {
            throw new InvalidInputException("target must be a node id or name, or group:NAME (1-100 characters)");
        }
        PrintableText.require("target", target);
        RuleMatch parsedMatch = null;
        String match = null;
        if (request.match() != null) {
            if (request.match().length() > 1000) {
                throw new InvalidInputException("match must be at most 1000 characters");
            }
            PrintableText.require("match", request.match());
            parsedMatch = RuleValidator.validate(
                            new RuleRequest(RuleMatchExpression.parse(request.match()), null, null))
                    .match();
            match = RuleMatchExpression.format(parsedMatch);
        }
        int priority = (request.priority() != null) ? request.priority() : DEFAULT_PRIORITY;
        if (priority < 0 || priority > 9) {
            throw new InvalidInputException("priority must be 0-9 (higher first), not " + priority);
        }
        Duration timeout = timeout(request.timeout(), defaultTimeout, maxTimeout);
        if (idempotencyKey != null) {
            if (idempotencyKey.isEmpty()
                    || idempotencyKey.length() > MAX_IDEMPOTENCY_KEY_CHARS
                    || !idempotencyKey.chars().allMatch((c) -> c >= 0x21 && c <= 0x7e)) {
                throw new InvalidInputException("the Idempotency-Key header must be 1-" + MAX_IDEMPOTENCY_KEY_CHARS
                        + " visible ASCII characters, such as a UUID");
            }
        }
        return new TaskSubmission(
                content, source, request.sessionKey(), target, match, parsedMatch, priority, timeout, idempotencyKey);
    }

    private static Duration timeout(@Nullable String value, Duration defaultTimeout, Duration maxTimeout) {
        if (value == null) {
            return defaultTimeout;
        }
        Duration timeout;
        try {
            String trimmed = value.strip();
            if (trimmed.isEmpty() || trimmed.chars().allMatch(Character::isDigit)) {
                throw new IllegalArgumentException("no unit");
            }
            timeout = DurationStyle.detectAndParse(trimmed);
        } catch (IllegalArgumentException | DateTimeParseException ex) {
            String shown = (value.length() <= 40) ? value : value.substring(0, 40) + "…";
            throw new InvalidInputException("timeout '" + PrintableText.escape(shown)
                    + "' is not a duration; write it with a unit (90s, 10m, 2h) or in ISO-8601 (PT90S)");
        }
        if (timeout.compareTo(MIN_TIMEOUT) < 0 || timeout.compareTo(maxTimeout) > 0) {
            throw new InvalidInputException(
                    "timeout must be between 1s and " + maxTimeout + " (mesh.tasks.max-timeout), not " + timeout);
        }
        return timeout;
    }

    /** SHA-256 of the canonical request: equal for the same task asked for twice, whatever defaults were spelled. */
    String hash() {
        StringBuilder canonical = new StringBuilder()
                .append(this.content)
                .append('\0')
                .append(this.source)
                .append('\0')
                .append(nullable(this.sessionKey))
                .append('\0')
                .append(nullable(this.target))
                .append('\0')
                .append(nullable(this.match))
                .append('\0')
                .append(this.priority)
                .append('\0')
                .append(this.timeout.toMillis());
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(canonical.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", ex);
        }
    }

    private static String nullable(@Nullable String value) {
        return (value != null) ? "1" + value : "0";
    }
}
