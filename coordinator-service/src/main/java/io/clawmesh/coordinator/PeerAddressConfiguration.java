package io.clawmesh.coordinator;

import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Lets per-address limits see the TCP peer whatever the container does with forwarded headers. */
@Configuration(proxyBeanMethods = false)
class PeerAddressConfiguration {

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> peerAddressValve() {
        return (factory) -> factory.addEngineValves(new PeerAddressValve());
    }
}
