package io.clawmesh.coordinator.mcp;

import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServlet;
import java.io.IOException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.util.function.SingletonSupplier;

/**
 * The servlet at {@code /mcp}: it builds the MCP server (the SDK's transport servlet, its session sweeper and JSON
 * schema validator, about 550 classes) on the first MCP request, not at start, so a coordinator nobody reaches over
 * MCP does not carry it (ADR 0011). Every request then goes to the SDK's servlet as before.
 */
final class LazyMcpServlet extends HttpServlet {

    private final SingletonSupplier<HttpServletStreamableServerTransportProvider> transport;

    private volatile boolean started;

    LazyMcpServlet(ObjectProvider<McpEndpoint> endpoint) {
        this.transport = SingletonSupplier.of(() -> {
            HttpServletStreamableServerTransportProvider provider =
                    endpoint.getObject().transport();
            try {
                provider.init(getServletConfig());
            } catch (ServletException ex) {
                throw new IllegalStateException("Cannot start the MCP server: " + ex.getMessage(), ex);
            }
            this.started = true;
            return provider;
        });
    }

    @Override
    public void service(ServletRequest request, ServletResponse response) throws ServletException, IOException {
        this.transport.obtain().service(request, response);
    }

    @Override
    public void destroy() {
        if (this.started) {
            this.transport.obtain().destroy();
        }
    }
}
