package io.clawmesh.coordinator.dashboard;

import io.clawmesh.coordinator.audit.AuditTrail;
import io.clawmesh.coordinator.security.OperatorToken;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.ExceptionMappingAuthenticationFailureHandler;
import org.springframework.security.web.authentication.HttpStatusEntryPoint;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.security.web.authentication.session.ChangeSessionIdAuthenticationStrategy;
import org.springframework.security.web.authentication.session.CompositeSessionAuthenticationStrategy;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.Session;

/**
 * Security of the dashboard: form login (the operator token or a configured user), a session cookie, CSRF on every
 * form, logout, and a content security policy that allows only the dashboard's own script and stylesheet. Its chain
 * comes before the API chain and covers only {@code /} and {@code /dashboard/**}; the API stays stateless and
 * token-only.
 * <p>
 * Nothing is kept on the coordinator for a visitor who has not logged in: the CSRF token of the login form and the
 * page to return to live in {@code HttpOnly}, {@code SameSite=Strict} cookies, and a failed login stores nothing in a
 * session, so the only way to an HTTP session is a successful login, and those are capped ({@link DashboardSessions}).
 */
@Configuration(proxyBeanMethods = false)
class DashboardSecurityConfiguration {

    private static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self';"
            + " img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    @Bean
    LoginThrottle loginThrottle(DataSource dataSource, Clock clock) {
        return new LoginThrottle(dataSource, clock);
    }

    @Bean
    DashboardSessions dashboardSessions(
            DashboardProperties properties,
            ObjectProvider<FindByIndexNameSessionRepository<? extends Session>> shared,
            JdbcClient jdbc) {
        // the sessions the replicas share on PostgreSQL (SharedSessionConfiguration), else Tomcat's
        return new DashboardSessions(
                properties.maxSessions(), properties.maxSessionsPerUser(), shared.getIfAvailable(), jdbc);
    }

    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE + 20)
    SecurityFilterChain dashboardSecurity(
            HttpSecurity http,
            OperatorToken tokens,
            DashboardProperties properties,
            LoginThrottle throttle,
            DashboardSessions sessions,
            AuditTrail audit) {
        ClientAddress clientAddress = new ClientAddress(properties.trustedProxies());
        PathPatternRequestMatcher.Builder paths = PathPatternRequestMatcher.withDefaults();
        RequestMatcher background = new OrRequestMatcher(
                paths.matcher(DashboardPaths.LIVE + "/**"),
                paths.matcher(DashboardPaths.EVENTS),
                paths.matcher(DashboardPaths.TASK_EVENTS),
                paths.matcher(DashboardPaths.CONSOLE_TASKS));
        http.securityMatcher("/", DashboardPaths.ROOT, DashboardPaths.ROOT + "/**")
                .authenticationManager(
                        new ProviderManager(new DashboardAuthenticationProvider(tokens, properties, throttle, audit)))
                .httpBasic(AbstractHttpConfigurer::disable)
                .formLogin((form) -> form.loginPage(DashboardPaths.LOGIN)
                        .authenticationDetailsSource(
                                (request) -> new WebAuthenticationDetails(clientAddress.resolve(request), null))
                        .defaultSuccessUrl(DashboardPaths.ROOT, false)
                        .failureHandler(loginFailures())
                        .permitAll())
                .logout((logout) -> logout.logoutUrl(DashboardPaths.LOGOUT)
                        .logoutSuccessUrl(DashboardPaths.LOGIN + "?logout")
                        .deleteCookies("JSESSIONID")
                        .permitAll())
                .requestCache((cache) -> cache.requestCache(new DashboardRequestCache(background)))
                .csrf((csrf) -> csrf.csrfTokenRepository(new DashboardCsrfTokenRepository(csrfCookie())))
                .sessionManagement(
                        (session) -> session.sessionAuthenticationStrategy(new CompositeSessionAuthenticationStrategy(
                                List.of(sessions, new ChangeSessionIdAuthenticationStrategy()))))
                .exceptionHandling((exceptions) -> exceptions
                        // The page script fetches fragments, event streams and the console's task: a redirect to the
                        // login form is no answer for it, a 401 is (the script then reloads the page, which shows the
                        // login).
                        .defaultAuthenticationEntryPointFor(
                                new HttpStatusEntryPoint(HttpStatus.UNAUTHORIZED), background)
                        .defaultAuthenticationEntryPointFor(
                                new LoginUrlAuthenticationEntryPoint(DashboardPaths.LOGIN), (request) -> true)
                        .accessDeniedHandler(new DashboardAccessDeniedHandler()))
                .headers((headers) -> headers.contentSecurityPolicy(
                                (csp) -> csp.policyDirectives(CONTENT_SECURITY_POLICY))
                        .referrerPolicy((referrer) -> referrer.policy(ReferrerPolicy.SAME_ORIGIN)))
                .authorizeHttpRequests((requests) -> requests.requestMatchers(DashboardPaths.ASSETS + "/**")
                        .permitAll()
                        // the login page with its ?error, ?locked and ?logout notices (form login permits only the
                        // bare page once a failure handler replaces the failure URL)
                        .requestMatchers(HttpMethod.GET, DashboardPaths.LOGIN)
                        .permitAll()
                        .anyRequest()
                        .hasAuthority(DashboardAuthenticationProvider.ROLE));
        return http.build();
    }

    /** Back to the login page, saying whether the password was wrong or logins are paused for a while. */
    private static AuthenticationFailureHandler loginFailures() {
        ExceptionMappingAuthenticationFailureHandler handler = new ExceptionMappingAuthenticationFailureHandler();
        handler.setExceptionMappings(Map.of(LoginThrottledException.class.getName(), DashboardPaths.LOGIN + "?locked"));
        handler.setDefaultFailureUrl(DashboardPaths.LOGIN + "?error");
        // the page shows the failure from its URL; keeping the exception would create a session per failed login
        handler.setAllowSessionCreation(false);
        return (request, response, ex) -> {
            if (ex instanceof UserNameTooLongException) {
                response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
                response.setContentType("text/plain;charset=UTF-8");
                response.getOutputStream().write(ex.getMessage().getBytes(StandardCharsets.UTF_8));
                return;
            }
            handler.onAuthenticationFailure(request, response, ex);
        };
    }

    /**
     * The CSRF token in a cookie rather than the session while there is no session, so the login form can carry one
     * without the coordinator keeping anything for an anonymous visitor (after login the session holds it:
     * {@link DashboardCsrfTokenRepository}). {@code HttpOnly} (the forms carry the token; no script reads it),
     * {@code SameSite=Strict}, and only for the dashboard's paths. A login and a logout replace it.
     */
    private static CookieCsrfTokenRepository csrfCookie() {
        CookieCsrfTokenRepository repository = new CookieCsrfTokenRepository();
        repository.setCookieName("DASHBOARD-CSRF");
        repository.setCookiePath(DashboardPaths.ROOT);
        repository.setCookieCustomizer((cookie) -> cookie.sameSite("Strict"));
        return repository;
    }
}
