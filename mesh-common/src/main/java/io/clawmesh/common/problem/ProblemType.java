package io.clawmesh.common.problem;

import java.net.URI;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;

/**
 * Every RFC 9457 problem type the coordinator and the agent answer with, and the CLI reads: its slug (the type is
 * {@code urn:clawmesh:problem:<slug>}), its HTTP status and its title. The one catalog of the API; docs/api.md lists
 * the same rows.
 */
public enum ProblemType {

    /** A field breaks the contract (a name, endpoint, capability, rule, position, message); the detail names it. */
    INVALID_INPUT(HttpStatus.BAD_REQUEST, "invalid-input", "Invalid input"),

    /** The body is not valid JSON. */
    MALFORMED_JSON(HttpStatus.BAD_REQUEST, "malformed-json", "Malformed JSON"),

    /** The body has a field the endpoint does not know; the detail names it and the accepted ones. */
    UNKNOWN_FIELD(HttpStatus.BAD_REQUEST, "unknown-field", "Unknown field"),

    /** A field, or the body itself, has the wrong type or format (scalars are not coerced); the detail names it. */
    INVALID_FIELD_TYPE(HttpStatus.BAD_REQUEST, "invalid-field-type", "Invalid field type"),

    /** The body is missing, empty or JSON {@code null}. */
    UNREADABLE_BODY(HttpStatus.BAD_REQUEST, "unreadable-body", "Unreadable body"),

    /** Any other bad request that Spring MVC rejects before a controller sees it. */
    BAD_REQUEST(HttpStatus.BAD_REQUEST, "bad-request", "Bad request"),

    /** Coordinator: no token, not {@code Bearer <token>}, or a token it does not know. */
    UNAUTHORIZED(HttpStatus.UNAUTHORIZED, "unauthorized", "Unauthorized"),

    /** Agent: a delivery without the {@code Authorization: Bearer <delivery credential>} header. */
    MISSING_CREDENTIAL(HttpStatus.UNAUTHORIZED, "missing-credential", "Missing credential"),

    /** Coordinator: a known token that may not do this. */
    FORBIDDEN(HttpStatus.FORBIDDEN, "forbidden", "Forbidden"),

    /** Agent: a delivery credential that is not the one of this node. */
    INVALID_CREDENTIAL(HttpStatus.FORBIDDEN, "invalid-credential", "Invalid credential"),

    /** A client key that may not use this model (its allowed models do not include it). */
    MODEL_NOT_ALLOWED(HttpStatus.FORBIDDEN, "model-not-allowed", "Model not allowed"),

    /** An unknown path. */
    NOT_FOUND(HttpStatus.NOT_FOUND, "not-found", "Not found"),

    /** No client key with that id or name. */
    KEY_NOT_FOUND(HttpStatus.NOT_FOUND, "key-not-found", "Client key not found"),

    /** OpenAI-compatible API: no model of that name ({@code mesh/auto}, {@code mesh/node/NAME}, …). */
    MODEL_NOT_FOUND(HttpStatus.NOT_FOUND, "model-not-found", "Model not found"),

    /** No node with that id or name. */
    NODE_NOT_FOUND(HttpStatus.NOT_FOUND, "node-not-found", "Node not found"),

    /** No task with that id: never submitted (agent: never started there), or past its retention. */
    TASK_NOT_FOUND(HttpStatus.NOT_FOUND, "task-not-found", "Task not found"),

    /** No rule with that id. */
    RULE_NOT_FOUND(HttpStatus.NOT_FOUND, "rule-not-found", "Rule not found"),

    /** The coordinator has no OpenClaw config to share. */
    SEED_CONFIG_NOT_FOUND(HttpStatus.NOT_FOUND, "seed-config-not-found", "No config to share"),

    /** The path exists but not for this method; the answer carries {@code Allow}. */
    METHOD_NOT_ALLOWED(HttpStatus.METHOD_NOT_ALLOWED, "method-not-allowed", "Method not allowed"),

    /** The client accepts no media type the endpoint can answer with. */
    NOT_ACCEPTABLE(HttpStatus.NOT_ACCEPTABLE, "not-acceptable", "Not acceptable"),

    /** Another node holds the name and the caller may not take it over. */
    NODE_NAME_CONFLICT(HttpStatus.CONFLICT, "node-name-conflict", "Node name taken"),

    /** An agent asked to connect a node that registered as inbound (ADR 0010). */
    NODE_NOT_OUTBOUND(HttpStatus.CONFLICT, "node-not-outbound", "Node is not outbound"),

    /** A finished task cannot be canceled (or changed in any other way); coordinator and agent. */
    TASK_FINISHED(HttpStatus.CONFLICT, "task-finished", "Task already finished"),

    /** The {@code Idempotency-Key} names a task submitted with another body. */
    IDEMPOTENCY_CONFLICT(HttpStatus.CONFLICT, "idempotency-conflict", "Idempotency key reused"),

    /** A client key of that name exists already. */
    KEY_NAME_CONFLICT(HttpStatus.CONFLICT, "key-name-conflict", "Client key name taken"),

    /** The body is over the size limit (1 MiB by default). */
    PAYLOAD_TOO_LARGE(HttpStatus.CONTENT_TOO_LARGE, "payload-too-large", "Payload too large"),

    /** The body is not sent as {@code application/json}. */
    UNSUPPORTED_MEDIA_TYPE(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type", "Unsupported media type"),

    /** A join-token registration over a limit; the answer carries {@code Retry-After}. */
    TOO_MANY_REGISTRATIONS(HttpStatus.TOO_MANY_REQUESTS, "too-many-registrations", "Too many registrations"),

    /** Agent: every slot is busy; the answer carries {@code Retry-After}. */
    NODE_AT_CAPACITY(HttpStatus.TOO_MANY_REQUESTS, "node-at-capacity", "Node at capacity"),

    /** A client key used more than its rate per minute; the answer carries {@code Retry-After}. */
    RATE_LIMITED(HttpStatus.TOO_MANY_REQUESTS, "rate-limited", "Rate limit exceeded"),

    /** The task queue is full ({@code mesh.tasks.max-queued}); the answer carries {@code Retry-After}. */
    QUEUE_FULL(HttpStatus.TOO_MANY_REQUESTS, "queue-full", "Task queue full"),

    /** Anything unforeseen; the details are only in the answering app's log. */
    INTERNAL_ERROR(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error", "Internal error"),

    /** The coordinator's OpenClaw config cannot be parsed or is too large. */
    SEED_CONFIG_UNREADABLE(HttpStatus.INTERNAL_SERVER_ERROR, "seed-config-unreadable", "Config cannot be shared"),

    /** The message could not be delivered to a node; carries {@code message_id}. */
    FORWARDING_FAILED(HttpStatus.BAD_GATEWAY, "forwarding-failed", "Forwarding failed"),

    /** Agent: its AI runtime failed; carries {@code runtime}. */
    RUNTIME_FAILURE(HttpStatus.BAD_GATEWAY, "runtime-failure", "Runtime failure"),

    /** No available node for the message. */
    NO_ROUTE(HttpStatus.SERVICE_UNAVAILABLE, "no-route", "No node available"),

    /** An explicitly targeted node is offline. */
    NODE_UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE, "node-unavailable", "Node unavailable"),

    /** The coordinator has as many event streams open as it allows. */
    TOO_MANY_STREAMS(HttpStatus.SERVICE_UNAVAILABLE, "too-many-streams", "Too many event streams"),

    /** The coordinator cannot reach its database. */
    DATABASE_UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE, "database-unavailable", "Database unavailable"),

    /** Agent: its AI runtime is down or disconnected, so it takes no new work; carries {@code Retry-After}. */
    RUNTIME_UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE, "runtime-unavailable", "Runtime unavailable"),

    /** Agent: not registered with a coordinator yet; the answer carries {@code Retry-After}. */
    NOT_REGISTERED(HttpStatus.SERVICE_UNAVAILABLE, "not-registered", "Not registered"),

    /** Any other temporary refusal that Spring MVC raises, such as an asynchronous request that timed out. */
    SERVICE_UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE, "service-unavailable", "Service unavailable"),

    /** The node took the message and did not answer in time; carries {@code message_id}. */
    FORWARDING_TIMEOUT(HttpStatus.GATEWAY_TIMEOUT, "forwarding-timeout", "Node did not answer in time");

    /** Prefix of every problem {@code type}; the slug follows it. */
    public static final String PREFIX = "urn:clawmesh:problem:";

    private final HttpStatus status;

    private final String slug;

    private final String title;

    private final URI uri;

    ProblemType(HttpStatus status, String slug, String title) {
        this.status = status;
        this.slug = slug;
        this.title = title;
        this.uri = URI.create(PREFIX + slug);
    }

    /** The HTTP status every answer of this type has. */
    public HttpStatus status() {
        return this.status;
    }

    /** The stable last part of the type, for example {@code node-not-found}. */
    public String slug() {
        return this.slug;
    }

    /** The short human-readable summary, the same for every answer of this type. */
    public String title() {
        return this.title;
    }

    /** The {@code type} member: {@code urn:clawmesh:problem:<slug>}. */
    public URI uri() {
        return this.uri;
    }

    /** The type a {@code type} member names, or empty for {@code about:blank}, another scheme or an unknown slug. */
    public static Optional<ProblemType> fromUri(@Nullable String type) {
        if (type == null || !type.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String slug = type.substring(PREFIX.length());
        for (ProblemType candidate : values()) {
            if (candidate.slug.equals(slug)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * The general type of an error status that no specific type covers (Spring MVC's own errors, a proxy's answer):
     * the type of that status where one exists, else {@link #BAD_REQUEST} for 4xx and {@link #INTERNAL_ERROR} for
     * anything else.
     */
    public static ProblemType forStatus(int status) {
        return switch (status) {
            case 401 -> UNAUTHORIZED;
            case 403 -> FORBIDDEN;
            case 404 -> NOT_FOUND;
            case 405 -> METHOD_NOT_ALLOWED;
            case 406 -> NOT_ACCEPTABLE;
            case 413 -> PAYLOAD_TOO_LARGE;
            case 415 -> UNSUPPORTED_MEDIA_TYPE;
            case 503 -> SERVICE_UNAVAILABLE;
            default -> (status >= 400 && status < 500) ? BAD_REQUEST : INTERNAL_ERROR;
        };
    }
}
