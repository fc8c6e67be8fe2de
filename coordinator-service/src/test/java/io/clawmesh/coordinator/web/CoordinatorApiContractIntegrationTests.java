package io.clawmesh.coordinator.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.clawmesh.common.api.ApiPaths;
import io.clawmesh.common.api.CoordinatorApi;
import io.clawmesh.common.api.NodeApi;
import io.clawmesh.common.api.RouteApi;
import io.clawmesh.common.api.RuleApi;
import io.clawmesh.common.message.RouteRequest;
import io.clawmesh.common.node.Capabilities;
import io.clawmesh.common.node.HeartbeatRequest;
import io.clawmesh.common.node.NodeStatus;
import io.clawmesh.common.node.NodeView;
import io.clawmesh.common.node.RegisterNodeRequest;
import io.clawmesh.common.node.RegisterNodeResponse;
import io.clawmesh.common.routing.MoveRuleRequest;
import io.clawmesh.common.routing.RoutingRule;
import io.clawmesh.common.routing.RuleMatch;
import io.clawmesh.common.routing.RuleRequest;
import io.clawmesh.common.routing.Strategy;
import io.clawmesh.coordinator.forwarding.FakeAgent;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.HttpHeaders;
import org.springframework.test.context.TestPropertySource;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.support.RestClientAdapter;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.service.invoker.HttpServiceProxyFactory;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * The one contract: the coordinator's controllers implement mesh-common's {@link NodeApi}, {@link RouteApi} and
 * {@link RuleApi}, Spring MVC maps their inherited {@code @HttpExchange} methods, and the client proxy of
 * {@link CoordinatorApi} that the agent and the CLI use works against the real server over HTTP.
 */
@TestPropertySource(properties = "mesh.security.allow-private=true")
class CoordinatorApiContractIntegrationTests extends ApiIntegrationTestSupport {

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    private @Nullable FakeAgent agent;

    @BeforeEach
    void oneEchoAgent() {
        this.agent = FakeAgent.start("alpha").always(FakeAgent.Reply.answer("pong"));
    }

    @AfterEach
    void stopAgent() {
        if (this.agent != null) {
            this.agent.close();
        }
    }

    @Test
    void everyContractMethodShouldBeMappedOnceByTheControllerThatImplementsIt() {
        Map<Method, List<HandlerMethod>> byContractMethod = new HashMap<>();
        for (HandlerMethod handler : this.mappings.getHandlerMethods().values()) {
            Method method = contractMethod(handler);
            if (method != null) {
                byContractMethod
                        .computeIfAbsent(method, (key) -> new ArrayList<>())
                        .add(handler);
            }
        }
        for (Class<?> part : List.of(NodeApi.class, RouteApi.class, RuleApi.class)) {
            for (Method method : part.getDeclaredMethods()) {
                assertThat(byContractMethod.get(method))
                        .as("%s.%s is mapped exactly once", part.getSimpleName(), method.getName())
                        .singleElement()
                        .satisfies((handler) -> assertThat(part).isAssignableFrom(handler.getBeanType()));
            }
        }
        assertThat(Arrays.stream(CoordinatorApi.class.getMethods()))
                .allSatisfy((method) -> assertThat(byContractMethod).containsKey(method));
        // the contract's JSON mapping, and the streamed route's (text/event-stream, SPEC §16) beside it
        assertThat(this.mappings.getHandlerMethods().keySet().stream()
                        .filter((info) -> info.getPatternValues().contains(ApiPaths.ROUTE))
                        .filter((info) -> info.getProducesCondition().isEmpty()))
                .as("the route path is mapped once")
                .hasSize(1)
                .first()
                .extracting(RequestMappingInfo::getPatternValues)
                .isEqualTo(Set.of(ApiPaths.ROUTE));
        assertThat(this.mappings.getHandlerMethods().keySet().stream()
                        .filter((info) -> info.getPatternValues().contains(ApiPaths.ROUTE))
                        .filter((info) -> !info.getProducesCondition().isEmpty()))
                .as("the streamed route is mapped once, for text/event-stream only")
                .singleElement()
                .satisfies((info) -> assertThat(info.getProducesCondition().getProducibleMediaTypes())
                        .extracting(Object::toString)
                        .containsExactly("text/event-stream"));
    }

    @Test
    void clientProxyShouldDriveTheWholeApiAgainstTheServer() {
        CoordinatorApi join = client(ApiFixtures.JOIN_TOKEN);
        CoordinatorApi operator = client(ApiFixtures.OPERATOR_TOKEN);
        String endpoint = this.agent.endpoint();

        RegisterNodeResponse registered =
                join.register(new RegisterNodeRequest("alpha", endpoint, Capabilities.none()));
        CoordinatorApi node = client(registered.token());
        node.heartbeat(registered.nodeId(), new HeartbeatRequest(NodeStatus.ONLINE, 0, null, null, null));

        assertThat(operator.nodes()).extracting(NodeView::name).containsExactly("alpha");
        assertThat(operator.node("alpha").id()).isEqualTo(registered.nodeId());

        RoutingRule first = operator.addRule(new RuleRequest(
                new RuleMatch(null, "linux", null, null, null, null, null), null, Strategy.ROUND_ROBIN));
        RoutingRule second = operator.addRule(new RuleRequest(RuleMatch.any(), null, Strategy.RANDOM));
        assertThat(operator.moveRule(second.id(), new MoveRuleRequest(0)))
                .extracting(RoutingRule::id)
                .containsExactly(second.id(), first.id());
        assertThat(operator.route(new RouteRequest("ping")).response()).isEqualTo("pong");
        assertThat(operator.routeTo("alpha", new RouteRequest("ping")).nodeName())
                .isEqualTo("alpha");
        operator.deleteRule(first.id());
        assertThat(operator.rules()).extracting(RoutingRule::id).containsExactly(second.id());

        node.deregister(registered.nodeId());
        assertThat(operator.nodes()).isEmpty();
    }

    private @Nullable Method contractMethod(HandlerMethod handler) {
        for (Class<?> part : List.of(NodeApi.class, RouteApi.class, RuleApi.class)) {
            if (part.isAssignableFrom(handler.getBeanType())) {
                try {
                    return part.getMethod(
                            handler.getMethod().getName(), handler.getMethod().getParameterTypes());
                } catch (NoSuchMethodException ex) {
                    // a handler method of the controller that is not part of the contract
                }
            }
        }
        return null;
    }

    private CoordinatorApi client(String token) {
        RestClient rest = RestClient.builder()
                .baseUrl("http://127.0.0.1:" + this.port)
                .defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .build();
        return HttpServiceProxyFactory.builderFor(RestClientAdapter.create(rest))
                .build()
                .createClient(CoordinatorApi.class);
    }
}
