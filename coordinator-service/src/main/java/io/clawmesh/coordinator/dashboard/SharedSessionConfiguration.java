package io.clawmesh.coordinator.dashboard;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.session.config.SessionRepositoryCustomizer;
import org.springframework.session.jdbc.JdbcIndexedSessionRepository;
import org.springframework.session.jdbc.config.annotation.web.http.EnableJdbcHttpSession;
import org.springframework.session.web.http.CookieSerializer;
import org.springframework.session.web.http.DefaultCookieSerializer;

/**
 * Dashboard sessions in PostgreSQL (Spring Session JDBC, tables {@code SPRING_SESSION*} of V9), so a browser logged in
 * through one replica is logged in on all of them, and a logout or a cap ends its session everywhere (ADR 0013). Only
 * on PostgreSQL: on H2 there is one coordinator and its sessions stay Tomcat's, in memory. The session cookie keeps
 * its name ({@code JSESSIONID}) and flags ({@code HttpOnly}, {@code SameSite=Strict}, {@code Secure} over HTTPS or
 * with {@code server.servlet.session.cookie.secure}), and sessions their {@code server.servlet.session.timeout}.
 * Each replica deletes expired sessions once a minute; the deletes are idempotent.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("'${spring.datasource.url:}'.startsWith('jdbc:postgresql:')")
@EnableJdbcHttpSession
class SharedSessionConfiguration {

    /** The cookie as {@code server.servlet.session.cookie.*} makes Tomcat's, which this replaces. */
    @Bean
    CookieSerializer dashboardSessionCookie(
            @Value("${server.servlet.session.cookie.secure:#{null}}") @Nullable Boolean secure) {
        DefaultCookieSerializer cookie = new DefaultCookieSerializer();
        cookie.setCookieName("JSESSIONID");
        cookie.setUseHttpOnlyCookie(true);
        cookie.setSameSite("Strict");
        if (secure != null) {
            // unset: Secure whenever the request came over HTTPS
            cookie.setUseSecureCookie(secure);
        }
        return cookie;
    }

    /** Sessions end after {@code server.servlet.session.timeout} without a request, as Tomcat's do. */
    @Bean
    SessionRepositoryCustomizer<JdbcIndexedSessionRepository> dashboardSessionTimeout(
            @Value("${server.servlet.session.timeout:30m}") Duration timeout) {
        return (repository) -> repository.setDefaultMaxInactiveInterval(timeout);
    }
}
