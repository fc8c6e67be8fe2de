package io.clawmesh.coordinator.security;

import io.clawmesh.common.api.ApiPaths;
import io.clawmesh.common.problem.ProblemType;
import io.clawmesh.common.problem.Problems;
import io.clawmesh.coordinator.registry.EndpointPolicy;
import io.clawmesh.coordinator.registry.MeshRole;
import java.net.InetAddress;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;

/**
 * Security of the coordinator: one stateless chain for {@code /api/**} where every request needs a bearer token, and
 * one chain for everything else (actuator probes and scraping are open).
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfiguration {

    private static final String OPERATOR = MeshRole.OPERATOR.name();

    private static final String JOIN = MeshRole.JOIN.name();

    private static final String NODE = MeshRole.NODE.name();

    @Bean
    EndpointPolicy endpointPolicy(MeshSecurityProperties properties) {
        return new EndpointPolicy(properties.allowPrivate(), properties.allowLoopback(), InetAddress::getAllByName);
    }

    @Bean
    SecurityFilterChain apiSecurity(HttpSecurity http, TokenAuthenticator authenticator, ProblemWriter problems) {
        http.securityMatcher(ApiPaths.API + "/**")
                .csrf(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                .anonymous(AbstractHttpConfigurer::disable)
                .headers(ApiSecurityHeaders::configure)
                .sessionManagement((session) -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .addFilterBefore(
                        new TokenAuthenticationFilter(authenticator, problems),
                        UsernamePasswordAuthenticationFilter.class)
                .exceptionHandling((exceptions) -> exceptions
                        .authenticationEntryPoint((request, response, ex) -> {
                            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"claw-mesh\"");
                            problems.write(
                                    request,
                                    response,
                                    Problems.of(
                                            ProblemType.UNAUTHORIZED,
                                            "this endpoint needs 'Authorization: Bearer <token>' (the operator token for everything but node calls)"));
                        })
                        .accessDeniedHandler((request, response, ex) -> problems.write(
                                request,
                                response,
                                Problems.of(
                                        ProblemType.FORBIDDEN,
                                        "this token may not do that: node tokens may only heartbeat, connect and deregister their own node and fetch"
                                                + " seed files; "
                                                + "a join token may only register nodes; use the operator token"))))
                .authorizeHttpRequests((requests) -> requests.requestMatchers(HttpMethod.POST, ApiPaths.REGISTER)
                        // a node token only for its own node again (NodeRegistry checks the name)
                        .hasAnyRole(OPERATOR, JOIN, NODE)
                        .requestMatchers(HttpMethod.POST, ApiPaths.NODES + "/*/heartbeat")
                        .hasRole(NODE)
                        // an outbound agent's WebSocket: its own node only (ConnectHandshake checks the id)
                        .requestMatchers(HttpMethod.GET, ApiPaths.NODES + "/*/connect")
                        .hasRole(NODE)
                        .requestMatchers(HttpMethod.DELETE, ApiPaths.NODES + "/*")
                        .hasAnyRole(OPERATOR, NODE)
                        .requestMatchers(ApiPaths.API + "/seed/**")
                        .hasAnyRole(OPERATOR, NODE)
                        .anyRequest()
                        .hasRole(OPERATOR));
        return http.build();
    }

    @Bean
    SecurityFilterChain defaultSecurity(HttpSecurity http) {
        http.csrf(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .sessionManagement((session) -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests((requests) -> requests.anyRequest().permitAll());
        return http.build();
    }

    /**
     * No observation per security filter per request: it was the largest single cost on the routing hot path. HTTP
     * server metrics still cover every request.
     */
    @Bean
    SecurityObservationSettings securityObservationSettings() {
        return SecurityObservationSettings.noObservations();
    }

    /**
     * No users for the API chains (the dashboard has its own authentication provider); defining this keeps Boot from
     * generating a password.
     */
    @Bean
    UserDetailsService userDetailsService() {
        return new InMemoryUserDetailsManager();
    }

    @Bean
    FilterRegistrationBean<RequestBodyLimitFilter> requestBodyLimitFilter(
            MeshSecurityProperties properties, ProblemWriter problems) {
        FilterRegistrationBean<RequestBodyLimitFilter> registration = new FilterRegistrationBean<>(
                new RequestBodyLimitFilter(properties.maxBodySize().toBytes(), problems));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }
}
