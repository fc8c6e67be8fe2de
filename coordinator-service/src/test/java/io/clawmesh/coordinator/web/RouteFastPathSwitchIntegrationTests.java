package io.clawmesh.coordinator.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mockingDetails;

import io.clawmesh.coordinator.fastpath.RouteRequestFilter;
import io.clawmesh.coordinator.forwarding.FakeAgent;
import io.clawmesh.coordinator.forwarding.RouteController;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;

/**
 * {@code mesh.routing.fast-path.enabled=false} removes the routing hot path: an operator's JSON route request, which
 * the hot path would serve, is answered by the security chain and {@link RouteController} instead, with the same
 * result. The same switch removes the front door's fast path for plain chat completions.
 */
@TestPropertySource(properties = {"mesh.security.allow-private=true", "mesh.routing.fast-path.enabled=false"})
class RouteFastPathSwitchIntegrationTests extends ApiIntegrationTestSupport {

    private final HttpClient http = HttpClient.newHttpClient();

    @Autowired
    ApplicationContext context;

    @MockitoSpyBean
    RouteController controller;

    /** {@code ChatCompletionsController}, package-private in its feature. */
    @MockitoSpyBean(name = "chatCompletionsController")
    Object chatController;

    private @Nullable FakeAgent agent;

    @BeforeEach
    void oneEchoAgent() {
        this.agent = FakeAgent.start("alpha").always(FakeAgent.Reply.answer("pong"));
        register("alpha", this.agent.endpoint());
    }

    @AfterEach
    void stopAgent() {
        if (this.agent != null) {
            this.agent.close();
        }
    }

    @Test
    void routeWhenFastPathDisabledShouldBeServedByTheControllerWithTheSameAnswer() throws Exception {
        assertThat(this.context.getBeansOfType(FilterRegistrationBean.class).values())
                .as("no hot path filter is registered")
                .noneMatch((registration) -> registration.getFilter() instanceof RouteRequestFilter);

        HttpResponse<String> answer = this.http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + ROUTE))
                        .header("Content-Type", "application/json")
                        .header("Authorization", "Bearer " + ApiFixtures.OPERATOR_TOKEN)
                        .POST(BodyPublishers.ofString("{\"content\":\"ping\"}"))
                        .build(),
                BodyHandlers.ofString());

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).contains("\"response\":\"pong\"", "\"node_name\":\"alpha\"");
        assertThat(answer.headers().firstValue("x-content-type-options")).hasValue("nosniff");
        assertThat(answer.headers().firstValue("x-frame-options")).hasValue("DENY");
        assertThat(mockingDetails(this.controller).getInvocations())
                .as("the general path served it")
                .hasSize(1);
    }

    @Test
    void chatCompletionWhenFastPathDisabledShouldBeServedByTheControllerWithTheSameAnswer() throws Exception {
        assertThat(this.context.getBeansOfType(FilterRegistrationBean.class).values())
                .as("no front-door fast path filter is registered")
                .noneMatch((registration) ->
                        registration.getFilter().getClass().getSimpleName().equals("ChatCompletionFilter"));

        HttpResponse<String> answer = this.http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/v1/chat/completions"))
                        .header("Content-Type", "application/json")
                        .header("Authorization", "Bearer " + ApiFixtures.OPERATOR_TOKEN)
                        .POST(BodyPublishers.ofString(
                                "{\"model\":\"mesh/auto\",\"messages\":[{\"role\":\"user\",\"content\":\"ping\"}]}"))
                        .build(),
                BodyHandlers.ofString());

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(answer.body()).contains("\"content\":\"pong\"", "\"object\":\"chat.completion\"");
        assertThat(answer.headers().firstValue("x-content-type-options")).hasValue("nosniff");
        assertThat(mockingDetails(this.chatController).getInvocations())
                .as("the general path served it")
                .hasSize(1);
    }
}
