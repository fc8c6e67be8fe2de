package io.clawmesh.coordinator.mcp;

import io.clawmesh.common.api.ApiPaths;
import io.clawmesh.coordinator.security.MeshSecurityProperties;
import io.clawmesh.coordinator.security.ProblemWriter;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.info.BuildProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.core.Ordered;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * The MCP server at {@code /mcp} (ADR 0011): the SDK's Streamable HTTP servlet registered next to Spring MVC, so every
 * request passes the body limit and the API security chain first; the caller's authentication travels to the tools in
 * the MCP transport context. The SDK's server is built on the first MCP request ({@link LazyMcpServlet}).
 * {@code mesh.mcp.enabled=false} leaves it out.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "mesh.mcp.enabled", matchIfMissing = true)
class McpServerConfiguration {

    private static final String INSTRUCTIONS = """
            claw-mesh joins AI assistants on several machines into one mesh. list_nodes and list_skills show the \
            machines and what they can do; send_message hands a message to the assistant on one of them (or lets \
            the mesh choose) and returns its reply, or a task id to follow with get_task when the reply takes long.""";

    @Bean
    ServletRegistrationBean<LazyMcpServlet> mcpServlet(ObjectProvider<McpEndpoint> endpoint) {
        ServletRegistrationBean<LazyMcpServlet> registration =
                new ServletRegistrationBean<>(new LazyMcpServlet(endpoint), ApiPaths.MCP);
        registration.setName("mcp");
        registration.setAsyncSupported(true);
        registration.setLoadOnStartup(1);
        return registration;
    }

    @Bean
    FilterRegistrationBean<McpOriginFilter> mcpOriginFilter(McpProperties properties, ProblemWriter problems) {
        FilterRegistrationBean<McpOriginFilter> registration =
                new FilterRegistrationBean<>(new McpOriginFilter(properties.allowedOrigins(), problems));
        registration.addUrlPatterns(ApiPaths.MCP, ApiPaths.MCP + "/*");
        // after the security chain (order -100): an unauthenticated request is answered 401 whatever its origin
        registration.setOrder(Ordered.LOWEST_PRECEDENCE - 10);
        return registration;
    }

    /**
     * The SDK's transport servlet and the server that answers through it, built on the first MCP request. Neither is
     * a bean of its own: Spring Boot instantiates every {@code Servlet} bean at start, lazy or not.
     */
    @Bean
    @Lazy
    McpEndpoint mcpEndpoint(
            McpProperties properties,
            MeshSecurityProperties security,
            NodeTools nodeTools,
            TaskTools taskTools,
            ObjectProvider<BuildProperties> build) {
        HttpServletStreamableServerTransportProvider transport = transport(properties, security);
        return new McpEndpoint(transport, server(transport, nodeTools, taskTools, build));
    }

    private static HttpServletStreamableServerTransportProvider transport(
            McpProperties properties, MeshSecurityProperties security) {
        return HttpServletStreamableServerTransportProvider.builder()
                .jsonMapper(GuardedTool.JSON)
                .mcpEndpoint(ApiPaths.MCP)
                .keepAliveInterval(properties.keepAlive())
                .maxRequestSize(
                        (int) Math.min(Integer.MAX_VALUE, security.maxBodySize().toBytes()))
                .contextExtractor((request) -> {
                    // runs on the request's thread, inside the security chain that authenticated it
                    Authentication caller = SecurityContextHolder.getContext().getAuthentication();
                    return (caller != null)
                            ? McpTransportContext.create(Map.of(ToolCall.CALLER, caller))
                            : McpTransportContext.EMPTY;
                })
                .build();
    }

    private static McpSyncServer server(
            HttpServletStreamableServerTransportProvider transport,
            NodeTools nodeTools,
            TaskTools taskTools,
            ObjectProvider<BuildProperties> build) {
        List<SyncToolSpecification> tools = new ArrayList<>(nodeTools.tools());
        tools.addAll(taskTools.tools());
        BuildProperties info = build.getIfAvailable();
        return McpServer.sync(transport)
                .serverInfo("claw-mesh", (info != null && info.getVersion() != null) ? info.getVersion() : "dev")
                .instructions(INSTRUCTIONS)
                .capabilities(
                        McpSchema.ServerCapabilities.builder().tools(false).build())
                .jsonMapper(GuardedTool.JSON)
                .validateToolInputs(true)
                // tools block on the request's (virtual) thread rather than on Reactor's bounded elastic pool
                .immediateExecution(true)
                .tools(tools)
                .build();
    }
}
