package io.clawmesh.coordinator.dashboard;

import org.springframework.security.core.AuthenticationException;

/** A login refused unread: its user name is longer than any user's ({@link LoginThrottle#MAX_USER_NAME_LENGTH}). */
class UserNameTooLongException extends AuthenticationException {

    UserNameTooLongException() {
        super("The user name is longer than " + LoginThrottle.MAX_USER_NAME_LENGTH + " characters.");
    }
}
