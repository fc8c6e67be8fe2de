package io.clawmesh.coordinator.dashboard;

import io.clawmesh.coordinator.security.OperatorToken;
import java.time.Clock;
import java.util.Map;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.ExceptionMappingAuthenticationFailureHandler;
import org.springframework.security.web.authentication.HttpStatusEntryPoint;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Security of the dashboard: form login (the operator token or a configured user), a session cookie, CSRF on every
 * form, logout, and a content security policy that allows only the dashboard's own script and stylesheet. Its chain
 * comes before the API chain and covers only {@code /} and {@code /dashboard/**}; the API stays stateless and
 * token-only.
 */
@Configuration(proxyBeanMethods = false)
class DashboardSecurityConfiguration {

    private static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self';"
            + " img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE + 20)
    SecurityFilterChain dashboardSecurity(
            HttpSecurity http, OperatorToken tokens, DashboardProperties properties, Clock clock) {
        PathPatternRequestMatcher.Builder paths = PathPatternRequestMatcher.withDefaults();
        RequestMatcher background =
                new OrRequestMatcher(paths.matcher(DashboardPaths.LIVE + "/**"), paths.matcher(DashboardPaths.EVENTS));
        http.securityMatcher("/", DashboardPaths.ROOT, DashboardPaths.ROOT + "/**")
                .authenticationManager(new ProviderManager(
                        new DashboardAuthenticationProvider(tokens, properties, new LoginThrottle(clock))))
                .httpBasic(AbstractHttpConfigurer::disable)
                .formLogin((form) -> form.loginPage(DashboardPaths.LOGIN)
                        .defaultSuccessUrl(DashboardPaths.ROOT, false)
                        .failureHandler(loginFailures())
                        .permitAll())
                .logout((logout) -> logout.logoutUrl(DashboardPaths.LOGOUT)
                        .logoutSuccessUrl(DashboardPaths.LOGIN + "?logout")
                        .deleteCookies("JSESSIONID")
                        .permitAll())
                .requestCache((cache) -> cache.requestCache(new DashboardRequestCache(background)))
                .exceptionHandling((exceptions) -> exceptions
                        // The page script fetches fragments and the event stream: a redirect to the login form is
                        // no answer for it, a 401 is (the script then reloads the page, which shows the login).
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
        return handler;
    }
}
