package io.clawmesh.common.api;

/** Paths of the coordinator and agent HTTP APIs, shared by servers and clients. */
public final class ApiPaths {

    /** The MCP server (Streamable HTTP, SPEC §21): one endpoint for POST, GET and DELETE. */
    public static final String MCP = "/mcp";

    /** Prefix of every versioned API path. */
    public static final String API = "/api/v1";

    public static final String NODES = API + "/nodes";

    public static final String REGISTER = NODES + "/register";

    public static final String NODE = NODES + "/{id}";

    public static final String HEARTBEAT = NODE + "/heartbeat";

    /** An outbound agent's WebSocket to the coordinator (SPEC §17, ADR 0010); node token, own node only. */
    public static final String NODE_CONNECT = NODE + "/connect";

    public static final String ROUTE = API + "/route";

    public static final String ROUTE_TO_NODE = ROUTE + "/{node}";

    public static final String RULES = API + "/rules";

    public static final String RULE = RULES + "/{id}";

    public static final String RULE_POSITION = RULE + "/position";

    /** Durable tasks (SPEC §16): submit and list on the coordinator; the agent serves the same paths to the coordinator. */
    public static final String TASKS = API + "/tasks";

    public static final String TASK = TASKS + "/{id}";

    /** A task's own event stream (server-sent events, {@code Last-Event-ID} resumes). */
    public static final String TASK_EVENTS = TASK + "/events";

    /** Header that makes a task submission idempotent: the same key and body return the same task. */
    public static final String IDEMPOTENCY_KEY_HEADER = "Idempotency-Key";

    /** The audit trail of operator actions, newest first (operator token only). */
    public static final String AUDIT = API + "/audit";

    /** Rotates the operator token: a new one, the old one valid for an overlap window (operator token only). */
    public static final String TOKEN_ROTATE = API + "/token/rotate";
    /** Client keys for front-door clients (SPEC §21): create and list; operator only. */
    public static final String KEYS = API + "/keys";

    /** One client key, by id or name: revoke it. */
    public static final String KEY = KEYS + "/{id}";

    /** Root of the OpenAI-compatible API (SPEC §21); its errors use OpenAI's error shape. */
    public static final String OPENAI = "/v1";

    /** OpenAI-compatible chat completions, plain and streamed. */
    public static final String CHAT_COMPLETIONS = OPENAI + "/chat/completions";

    /** OpenAI-compatible model list: the places a message can run ({@code mesh/auto}, {@code mesh/node/NAME}, …). */
    public static final String MODELS = OPENAI + "/models";

    /** Header that names the session of an OpenAI-compatible request when its {@code user} field does not. */
    public static final String SESSION_KEY_HEADER = "X-Session-Key";

    /** The live event stream (server-sent events). */
    public static final String EVENTS = API + "/events";

    /** The coordinator's OpenClaw config without node-local keys, for seed sync. */
    public static final String SEED_CONFIG = API + "/seed/config";

    /** The identity and memory files of the coordinator's workspace, for seed sync. */
    public static final String SEED_WORKSPACE = API + "/seed/workspace";

    /** The agent's inbound message endpoint. */
    public static final String AGENT_MESSAGES = API + "/messages";

    /**
     * One message running on an agent: {@code DELETE} cancels its run (the coordinator's client went away while it
     * waited for the whole answer).
     */
    public static final String AGENT_MESSAGE = AGENT_MESSAGES + "/{id}";

    /** The agent's health endpoint, open to anyone. */
    public static final String AGENT_HEALTH = "/healthz";

    /** Media type of RFC 9457 problem bodies. */
    public static final String PROBLEM_JSON = "application/problem+json";

    /**
     * Header with which the coordinator tells the agent the id of the message it forwards, so the agent can put it in
     * its logging context before it reads the body.
     */
    public static final String MESSAGE_ID_HEADER = "X-Mesh-Message-Id";

    /** Key of the message id in the logging context (MDC) on coordinator and agent. */
    public static final String MESSAGE_ID_MDC_KEY = "messageId";

    private ApiPaths() {}
}
