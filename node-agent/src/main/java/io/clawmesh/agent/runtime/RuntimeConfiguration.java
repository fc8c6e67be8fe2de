package io.clawmesh.agent.runtime;

import io.clawmesh.agent.AgentProperties;
import io.clawmesh.agent.LocalNode;
import io.clawmesh.agent.runtime.install.AutoInstaller;
import io.clawmesh.agent.runtime.install.InstallProperties;
import io.clawmesh.agent.runtime.openai.OpenAiProvider;
import io.clawmesh.agent.runtime.openclaw.OpenClawDiscovery;
import io.clawmesh.agent.runtime.openclaw.OpenClawRuntime;
import io.clawmesh.agent.runtime.zeroclaw.ZeroClawProvider;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.function.SingletonSupplier;

/**
 * Picks the runtime the agent talks to and sets up the capacity gate in front of it. The choice is made when the
 * context starts, not with {@code @Conditional}: Spring AOT freezes conditions at build time.
 */
@Configuration(proxyBeanMethods = false)
public class RuntimeConfiguration {

    @Bean
    RuntimeSelection runtimeSelection(
            AgentProperties properties, InstallProperties install, LocalNode localNode, Clock clock) {
        Map<String, String> env = System.getenv();
        Path home = Path.of(System.getProperty("user.home", "."));
        Supplier<HttpClient> http = SingletonSupplier.of(() -> HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build());
        List<RuntimeProvider> providers = List.of(
                RuntimeProvider.of(
                        "openclaw",
                        (context) -> OpenClawRuntime.create(
                                OpenClawDiscovery.system(context.httpClient()).settings(context.properties()),
                                context.http()),
                        (context) -> OpenClawDiscovery.system(context.httpClient())
                                .find(context.properties())
                                .<AgentRuntime>map((settings) -> OpenClawRuntime.create(settings, context.http()))),
                new ZeroClawProvider(env, home),
                new OpenAiProvider());
        RuntimeSelector selector = new RuntimeSelector(providers, installer(install, env, home, clock));
        return selector.select(new RuntimeContext(properties, localNode.dataDir(), http, clock));
    }

    @Bean
    AgentRuntime agentRuntime(RuntimeSelection selection) {
        return selection.runtime();
    }

    @Bean
    CapacityGate capacityGate(AgentProperties properties) {
        HeapBudget.check(properties.capacity(), Runtime.getRuntime().maxMemory());
        return new CapacityGate(properties.capacity());
    }

    private static RuntimeSelector.Installer installer(
            InstallProperties install, Map<String, String> env, Path home, Clock clock) {
        // built only when --auto-install is used and nothing was found, so a normal start spawns no process
        return (context) ->
                AutoInstaller.forThisMachine(install, env, home, clock).install(context);
    }
}
