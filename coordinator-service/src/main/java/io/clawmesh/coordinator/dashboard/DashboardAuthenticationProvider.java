package io.clawmesh.coordinator.dashboard;

import io.clawmesh.coordinator.audit.Actor;
import io.clawmesh.coordinator.audit.AuditAction;
import io.clawmesh.coordinator.audit.AuditTrail;
import io.clawmesh.coordinator.security.OperatorToken;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

/**
 * Checks a dashboard login: the user {@code operator} with the operator token as the password (unless switched off),
 * or a user configured under {@code mesh.dashboard.users} with its password hash. The token is compared in constant
 * time and never kept in the resulting authentication. Failed logins are throttled per address and user
 * ({@link LoginThrottle}); a user name longer than {@link LoginThrottle#MAX_USER_NAME_LENGTH} is refused unread.
 */
class DashboardAuthenticationProvider implements AuthenticationProvider {

    static final String OPERATOR_USER = "operator";

    static final String ROLE = "ROLE_DASHBOARD";

    private final OperatorToken tokens;

    private final DashboardProperties properties;

    private final LoginThrottle throttle;

    private final AuditTrail audit;

    private final PasswordEncoder encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();

    /**
     * @throws IllegalStateException naming the user when a configured password is not a hash in {@code {id}hash} form,
     *     so that a typo stops the start instead of failing every login
     */
    DashboardAuthenticationProvider(
            OperatorToken tokens, DashboardProperties properties, LoginThrottle throttle, AuditTrail audit) {
        this.audit = audit;
        this.tokens = tokens;
        this.properties = properties;
        this.throttle = throttle;
        properties.users().forEach((user, hash) -> {
            try {
                this.encoder.matches("probe", hash);
            } catch (IllegalArgumentException ex) {
                throw new IllegalStateException("mesh.dashboard.users." + user
                        + " must be a password hash in the {id}hash form, such as {bcrypt}$2y$10$...: "
                        + ex.getMessage());
            }
        });
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        String address = (authentication.getDetails() instanceof WebAuthenticationDetails details
                        && details.getRemoteAddress() != null)
                ? details.getRemoteAddress()
                : "unknown";
        if (authentication.getName().length() > LoginThrottle.MAX_USER_NAME_LENGTH) {
            // counted against the address, never stored under the name
            this.throttle.failed(authentication.getName(), address);
            loginFailed("(a user name too long)", address, "user name too long");
            throw new UserNameTooLongException();
        }
        String user = authentication.getName().strip();
        Duration locked = this.throttle.lockedFor(user, address);
        if (locked.isPositive()) {
            loginFailed(user, address, "throttled: locked for " + locked.toSeconds() + "s after failed logins");
            throw new LoginThrottledException(locked);
        }
        Object credentials = authentication.getCredentials();
        String password = (credentials != null) ? credentials.toString() : "";
        Map<String, String> users = this.properties.users();
        boolean valid;
        if (users.containsKey(user)) {
            valid = this.encoder.matches(password, users.get(user));
        } else {
            valid = this.properties.operatorLogin()
                    && OPERATOR_USER.equals(user)
                    && this.tokens.isOperator(password.strip());
        }
        if (!valid) {
            this.throttle.failed(user, address);
            loginFailed(user, address, "wrong user name or password");
            throw new BadCredentialsException("wrong user name or password");
        }
        this.throttle.succeeded(user, address);
        this.audit.record(Actor.dashboard(user, address), AuditAction.DASHBOARD_LOGIN, user, null, AuditTrail.SUCCESS);
        return UsernamePasswordAuthenticationToken.authenticated(user, null, List.of(new SimpleGrantedAuthority(ROLE)));
    }

    private void loginFailed(String user, String address, String why) {
        this.audit.record(
                Actor.dashboard(user, address), AuditAction.DASHBOARD_LOGIN_FAILED, user, why, AuditTrail.FAILURE);
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }
}
