package io.clawmesh.coordinator.forwarding;

import io.clawmesh.common.api.ApiPaths;
import io.clawmesh.common.message.AgentMessageRequest;
import io.clawmesh.common.message.AgentMessageResponse;
import io.clawmesh.common.node.Endpoint;
import io.clawmesh.common.node.InvalidInputException;
import io.clawmesh.common.node.NodeCredentials;
import io.clawmesh.coordinator.forwarding.ForwardAttemptException.Kind;
import io.clawmesh.coordinator.registry.Node;
import io.clawmesh.coordinator.security.EndpointPolicy;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.util.StreamUtils;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sends one message to one node agent over pooled keep-alive HTTP/1.1 connections. The endpoint is resolved and
 * checked against the SSRF policy again on every call (DNS rebinding), and the agent is addressed by the checked IP.
 */
@Component
public class NodeClient {

    private final RestClient restClient;

    private final EndpointPolicy endpointPolicy;

    private final JsonMapper json;

    private final Map<String, String> credentials = new ConcurrentHashMap<>();

    public NodeClient(
            RestClient.Builder builder,
            EndpointPolicy endpointPolicy,
            ForwardingProperties properties,
            JsonMapper json) {
        HttpClient httpClient = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(properties.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .build();
        JdkClientHttpRequestFactory requestFactory = new JdkClientHttpRequestFactory(httpClient);
        requestFactory.setReadTimeout(properties.timeout());
        this.restClient = builder.clone().requestFactory(requestFactory).build();
        this.endpointPolicy = endpointPolicy;
        this.json = json;
    }

    /**
     * Hands a message to a node and returns its answer.
     *
     * @throws ForwardAttemptException saying whether another node may be tried
     */
    public AgentMessageResponse send(Node node, AgentMessageRequest message) throws ForwardAttemptException {
        URI uri = messagesUri(node);
        try {
            return this.restClient
                    .post()
                    .uri(uri)
                    .contentType(MediaType.APPLICATION_JSON)
                    .accept(MediaType.APPLICATION_JSON)
                    .header("Authorization", "Bearer " + credential(node))
                    .body(message)
                    .exchange((request, response) -> {
                        HttpStatusCode status = response.getStatusCode();
                        if (status.is2xxSuccessful()) {
                            AgentMessageResponse body = response.bodyTo(AgentMessageResponse.class);
                            if (body == null) {
                                throw new AgentAnswerException(
                                        Kind.NOT_ACCEPTED,
                                        node.name() + " answered " + status.value() + " without a body");
                            }
                            return body;
                        }
                        throw new AgentAnswerException(
                                kindOf(status.value()),
                                node.name() + " answered " + status.value()
                                        + detail(StreamUtils.copyToString(response.getBody(), StandardCharsets.UTF_8)));
                    });
        } catch (AgentAnswerException ex) {
            throw new ForwardAttemptException(ex.kind, ex.getMessage());
        } catch (ResourceAccessException ex) {
            throw classify(node, ex);
        }
    }

    private URI messagesUri(Node node) throws ForwardAttemptException {
        try {
            InetAddress address = this.endpointPolicy.resolveForConnect(Endpoint.parse(node.endpoint()));
            String host =
                    (address instanceof Inet6Address) ? "[" + address.getHostAddress() + "]" : address.getHostAddress();
            return URI.create(
                    "http://" + host + ":" + Endpoint.parse(node.endpoint()).port() + ApiPaths.AGENT_MESSAGES);
        } catch (InvalidInputException ex) {
            throw new ForwardAttemptException(Kind.NOT_ACCEPTED, ex.getMessage());
        }
    }

    private String credential(Node node) {
        return this.credentials.computeIfAbsent(
                node.id() + ":" + node.tokenHash(),
                (key) -> NodeCredentials.deliveryCredential(node.tokenHash(), node.id()));
    }

    private static Kind kindOf(int status) {
        return switch (status) {
            case 429 -> Kind.FULL;
            case 400, 413, 415, 422 -> Kind.REJECTED;
            case 504 -> Kind.TIMED_OUT;
            default -> Kind.NOT_ACCEPTED;
        };
    }

    private static ForwardAttemptException classify(Node node, ResourceAccessException ex) {
        Throwable cause = ex.getCause();
        if (cause instanceof AgentAnswerException answer) {
            return new ForwardAttemptException(answer.kind, answer.getMessage());
        }
        String where = node.name() + " (" + node.endpoint() + ")";
        if (cause instanceof HttpConnectTimeoutException) {
            return new ForwardAttemptException(Kind.NOT_ACCEPTED, where + ": connect timed out");
        }
        if (cause instanceof HttpTimeoutException) {
            return new ForwardAttemptException(
                    Kind.TIMED_OUT,
                    where + " accepted the message but did not answer in time (mesh.forwarding.timeout)");
        }
        if (cause instanceof ConnectException) {
            return new ForwardAttemptException(Kind.NOT_ACCEPTED, where + ": connection refused");
        }
        String reason = (cause instanceof IOException && cause.getMessage() != null)
                ? cause.getMessage()
                : String.valueOf(ex.getMessage());
        return new ForwardAttemptException(Kind.INTERRUPTED, where + ": " + reason);
    }

    private String detail(@Nullable String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        try {
            JsonNode problem = this.json.readTree(body);
            JsonNode detail = problem.get("detail");
            return (detail != null && detail.isString()) ? ": " + detail.asString() : "";
        } catch (RuntimeException ex) {
            return "";
        }
    }

    /** Carries an agent's non-2xx answer out of the exchange callback. */
    private static final class AgentAnswerException extends RuntimeException {

        private final Kind kind;

        AgentAnswerException(Kind kind, String message) {
            super(message, null, false, false);
            this.kind = kind;
        }
    }
}
