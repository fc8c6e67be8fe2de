package io.clawmesh.agent.runtime;

import io.clawmesh.agent.AgentProperties;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** Agent settings and runtime contexts for runtime tests, bound the way Boot binds them (defaults included). */
public final class RuntimeFixtures {

    private RuntimeFixtures() {}

    /** {@link AgentProperties} from {@code mesh.agent.*} entries such as {@code "runtime", "zeroclaw"}. */
    public static AgentProperties properties(Map<String, String> agentProperties) {
        MapConfigurationPropertySource source = new MapConfigurationPropertySource();
        agentProperties.forEach((key, value) -> source.put("mesh.agent." + key, value));
        return new Binder(source).bindOrCreate("mesh.agent", AgentProperties.class);
    }

    public static RuntimeContext context(Map<String, String> agentProperties, Path dataDir) {
        return new RuntimeContext(properties(agentProperties), dataDir, http(), Clock.systemUTC());
    }

    public static HttpClient http() {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2))
                .build();
    }
}
