package io.clawmesh.agent;

import io.clawmesh.common.node.InvalidInputException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Maps the Go-style {@code mesh.agent.listen} ({@code :9121}, {@code 0.0.0.0:9121}, {@code [::1]:9121}) onto
 * {@code server.address} and {@code server.port}, so {@code --mesh.agent.listen=:9121} works like {@code --listen}.
 */
public class ListenAddressEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

    static final String PROPERTY = "mesh.agent.listen";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String listen = environment.getProperty(PROPERTY);
        if (listen == null || listen.isBlank()) {
            return;
        }
        environment.getPropertySources().addFirst(new MapPropertySource("meshAgentListen", toServerProperties(listen)));
    }

    /** Translates a listen value into server properties; an empty host means all interfaces. */
    static Map<String, Object> toServerProperties(String listen) {
        String value = listen.strip();
        int colon = value.lastIndexOf(':');
        if (colon < 0 || value.endsWith("]")) {
            throw new InvalidInputException(PROPERTY + " '" + listen + "' must be [host]:port, for example :9121");
        }
        String host = value.substring(0, colon);
        String port = value.substring(colon + 1);
        if (port.isEmpty() || !port.chars().allMatch(Character::isDigit) || port.length() > 5) {
            throw new InvalidInputException(PROPERTY + " '" + listen + "' needs a numeric port, for example :9121");
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("server.port", Integer.parseInt(port));
        if (!host.isEmpty()) {
            properties.put("server.address", host);
        }
        return properties;
    }

    @Override
    public int getOrder() {
        // after the config data processor, so a listen value in the application config is seen too
        return Ordered.LOWEST_PRECEDENCE;
    }
}
