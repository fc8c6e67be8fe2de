package io.clawmesh.coordinator.security;

import io.clawmesh.common.api.ApiPaths;
import io.clawmesh.common.problem.ProblemType;
import io.clawmesh.common.problem.Problems;
import io.clawmesh.coordinator.MeshProperties;
import io.clawmesh.coordinator.keys.ClientKeys;
import io.clawmesh.coordinator.registry.EndpointPolicy;
import io.clawmesh.coordinator.registry.MeshRole;
import io.clawmesh.coordinator.tls.AgentClientTls;
import io.clawmesh.coordinator.tls.TlsProperties;
import java.net.InetAddress;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
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
 * Security of the coordinator: one stateless chain for {@code /api/**} where every request needs a bearer token, one
 * for the front doors ({@code /v1/**}, {@code /mcp}: client keys and the operator), and one chain for everything else
 * (actuator probes and scraping are open, but not to a client key).
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfiguration {

    private static final String OPERATOR = MeshRole.OPERATOR.name();

    private static final String JOIN = MeshRole.JOIN.name();

    private static final String NODE = MeshRole.NODE.name();

    private static final String CLIENT = MeshRole.CLIENT.name();

    private static final String FORBIDDEN_DETAIL =
            "this token may not do that: node tokens may only heartbeat, connect and deregister their own node and"
                    + " fetch seed files; a join token may only register nodes; a client key may only use"
                    + " /v1/chat/completions, /v1/models, /mcp and its own tasks; use the operator token";

    @Bean
    EndpointPolicy endpointPolicy(
            MeshSecurityProperties properties, ObjectProvider<TlsProperties> tls, ObjectProvider<MeshProperties> mesh) {
        TlsProperties tlsProperties = tls.getIfAvailable();
        MeshProperties meshProperties = mesh.getIfAvailable();
        // with its own mesh CA the coordinator reaches inbound agents over mutual TLS (ADR 0012)
        return new EndpointPolicy(
                properties.allowPrivate(),
                properties.allowLoopback(),
                InetAddress::getAllByName,
                (tlsProperties != null && meshProperties != null)
                        ? AgentClientTls.context(tlsProperties, meshProperties.dataDir())
                        : null);
    }

    @Bean
    SecurityFilterChain apiSecurity(
            HttpSecurity http, TokenAuthenticator authenticator, ProblemWriter problems, ClientKeys clientKeys) {
        bearerOnly(
                        http.securityMatcher(ApiPaths.API + "/**"),
                        new TokenAuthenticationFilter(authenticator, problems, clientKeys),
                        problems,
                        "this endpoint needs 'Authorization: Bearer <token>' (the operator token for everything but"
                                + " node calls)")
                .authorizeHttpRequests((requests) -> requests.requestMatchers(HttpMethod.POST, ApiPaths.REGISTER)
                        // a node token only for its own node again (NodeRegistry checks the name)
                        .hasAnyRole(OPERATOR, JOIN, NODE)
                        .requestMatchers(HttpMethod.POST, ApiPaths.NODES + "/*/heartbeat")
                        .hasRole(NODE)
                        // a node certificate from a CSR: its own node only (NodeCertificateController checks the id)
                        .requestMatchers(HttpMethod.POST, ApiPaths.NODES + "/*/certificate")
                        .hasRole(NODE)
                        // an outbound agent's WebSocket: its own node only (ConnectHandshake checks the id)
                        .requestMatchers(HttpMethod.GET, ApiPaths.NODES + "/*/connect")
                        .hasRole(NODE)
                        .requestMatchers(HttpMethod.DELETE, ApiPaths.NODES + "/*")
                        .hasAnyRole(OPERATOR, NODE)
                        .requestMatchers(ApiPaths.API + "/seed/**")
                        .hasAnyRole(OPERATOR, NODE)
                        // a client key: its own tasks only (TaskBoard answers another's task 404)
                        .requestMatchers(ApiPaths.TASKS, ApiPaths.TASKS + "/*", ApiPaths.TASKS + "/*/events")
                        .hasAnyRole(OPERATOR, CLIENT)
                        .anyRequest()
                        .hasRole(OPERATOR));
        return http.build();
    }

    /**
     * The front doors (SPEC §21): the OpenAI-compatible API and the MCP server, for client keys and the operator.
     * Errors under {@code /v1} have OpenAI's shape ({@link ProblemWriter}).
     */
    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE + 30)
    SecurityFilterChain frontDoorSecurity(
            HttpSecurity http, TokenAuthenticator authenticator, ProblemWriter problems, ClientKeys clientKeys) {
        bearerOnly(
                        http.securityMatcher(ApiPaths.OPENAI + "/**", ApiPaths.MCP, ApiPaths.MCP + "/**"),
                        new TokenAuthenticationFilter(authenticator, problems, clientKeys),
                        problems,
                        "this endpoint needs 'Authorization: Bearer <client key>' (a key from 'claw-mesh key create',"
                                + " or the operator token)")
                .authorizeHttpRequests((requests) -> requests.anyRequest().hasAnyRole(OPERATOR, CLIENT));
        return http.build();
    }

    /**
     * A stateless chain where a bearer token is the only credential: no sessions, forms, CSRF or anonymous caller, the
     * API's security headers, and 401/403 as problems ({@code unauthorized} with {@code WWW-Authenticate}).
     */
    private static HttpSecurity bearerOnly(
            HttpSecurity http, TokenAuthenticationFilter tokens, ProblemWriter problems, String unauthorizedDetail) {
        return http.csrf(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                .anonymous(AbstractHttpConfigurer::disable)
                .headers(ApiSecurityHeaders::configure)
                .sessionManagement((session) -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .addFilterBefore(tokens, UsernamePasswordAuthenticationFilter.class)
                .exceptionHandling((exceptions) -> exceptions
                        .authenticationEntryPoint((request, response, ex) -> {
                            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"claw-mesh\"");
                            problems.write(
                                    request, response, Problems.of(ProblemType.UNAUTHORIZED, unauthorizedDetail));
                        })
                        .accessDeniedHandler((request, response, ex) -> problems.write(
                                request, response, Problems.of(ProblemType.FORBIDDEN, FORBIDDEN_DETAIL))));
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

    /** Client keys are refused (403) everywhere outside the API and the front doors: dashboard, actuator, metrics. */
    @Bean
    FilterRegistrationBean<ClientKeyScopeFilter> clientKeyScopeFilter(ProblemWriter problems) {
        FilterRegistrationBean<ClientKeyScopeFilter> registration =
                new FilterRegistrationBean<>(new ClientKeyScopeFilter(problems, FORBIDDEN_DETAIL));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 11);
        return registration;
    }
}
