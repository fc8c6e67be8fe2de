package io.clawmesh.coordinator.dashboard;

import java.time.Duration;
import org.springframework.security.core.AuthenticationException;

/** A login refused without checking its password: too many failed logins from this address or for this user. */
class LoginThrottledException extends AuthenticationException {

    LoginThrottledException(Duration remaining) {
        super("too many failed logins; try again in " + Math.max(1, remaining.toSeconds()) + " s");
    }
}
