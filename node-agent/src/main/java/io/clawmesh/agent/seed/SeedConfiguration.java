package io.clawmesh.agent.seed;

import io.clawmesh.agent.AgentProperties;
import io.clawmesh.agent.registration.RegistrationState;
import io.clawmesh.common.seed.SeedApi;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.support.RestClientAdapter;
import org.springframework.web.service.invoker.HttpServiceProxyFactory;

/** Wires seed sync on join; {@code --no-sync-config} turns it off (decided at run time, not by an AOT condition). */
@Configuration(proxyBeanMethods = false)
public class SeedConfiguration {

    private static final Logger logger = LoggerFactory.getLogger(SeedConfiguration.class);

    @Bean
    SeedSyncTask seedSyncTask(AgentProperties properties, RestClient coordinatorRestClient, RegistrationState state) {
        SeedApi api = HttpServiceProxyFactory.builderFor(RestClientAdapter.create(coordinatorRestClient))
                .build()
                .createClient(SeedApi.class);
        SeedSync sync = new SeedSync(api, System.getenv(), Path.of(System.getProperty("user.home", ".")));
        if (properties.noSyncConfig()) {
            logger.info("Seed sync is off (--no-sync-config): keeping this node's OpenClaw config and workspace");
        }
        return new SeedSyncTask(sync, state, !properties.noSyncConfig());
    }
}
