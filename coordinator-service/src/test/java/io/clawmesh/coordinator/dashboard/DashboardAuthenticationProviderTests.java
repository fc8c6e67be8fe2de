package io.clawmesh.coordinator.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clawmesh.common.audit.AuditEntry;
import io.clawmesh.coordinator.MeshProperties;
import io.clawmesh.coordinator.MutableClock;
import io.clawmesh.coordinator.TestDatabase;
import io.clawmesh.coordinator.audit.AuditQuery;
import io.clawmesh.coordinator.audit.AuditTrail;
import io.clawmesh.coordinator.security.MeshSecurityProperties;
import io.clawmesh.coordinator.security.OperatorToken;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.util.unit.DataSize;

class DashboardAuthenticationProviderTests {

    private static final String TOKEN = "unit-operator-token";

    @TempDir
    Path dataDir;

    private final MutableClock clock = new MutableClock();

    private final AuditTrail audit = DashboardFixtures.auditTrail();

    private final TestDatabase database = TestDatabase.h2();

    @AfterEach
    void closeDatabase() {
        this.database.close();
    }

    @Test
    void operatorWithTheTokenShouldLogInAndKeepNoCredential() {
        Authentication authentication = provider(true, Map.of()).authenticate(login("operator", TOKEN));
        assertThat(authentication.isAuthenticated()).isTrue();
        assertThat(authentication.getName()).isEqualTo("operator");
        assertThat(authentication.getCredentials()).isNull();
        assertThat(authentication.getAuthorities())
                .extracting(Object::toString)
                .containsExactly(DashboardAuthenticationProvider.ROLE);
    }

    @Test
    void wrongTokenOrOtherUserWithTheTokenShouldBeRefused() {
        DashboardAuthenticationProvider provider = provider(true, Map.of());
        assertThatThrownBy(() -> provider.authenticate(login("operator", TOKEN + "x")))
                .isInstanceOf(BadCredentialsException.class);
        assertThatThrownBy(() -> provider.authenticate(login("admin", TOKEN)))
                .isInstanceOf(BadCredentialsException.class);
    }

    @Test
    void operatorLoginSwitchedOffShouldRefuseTheToken() {
        assertThatThrownBy(() -> provider(false, Map.of()).authenticate(login("operator", TOKEN)))
                .isInstanceOf(BadCredentialsException.class);
    }

    @Test
    void configuredUserWithBcryptHashShouldLogInWithItsPasswordOnly() {
        String hash = "{bcrypt}" + new BCryptPasswordEncoder(4).encode("correct horse battery staple");
        DashboardAuthenticationProvider provider = provider(false, Map.of("alice", hash));
        assertThat(provider.authenticate(login("alice", "correct horse battery staple"))
                        .getName())
                .isEqualTo("alice");
        assertThatThrownBy(() -> provider.authenticate(login("alice", "correct horse")))
                .isInstanceOf(BadCredentialsException.class);
    }

    @Test
    void loginsFailuresAndThrottledAttemptsShouldEachLeaveAnAuditEntry() {
        DashboardAuthenticationProvider provider = provider(true, Map.of());
        provider.authenticate(login("operator", TOKEN));
        for (int i = 0; i <= LoginThrottle.FREE_FAILURES_PER_ADDRESS; i++) {
            assertThatThrownBy(() -> provider.authenticate(login("operator", "wrong")))
                    .isInstanceOf(BadCredentialsException.class);
        }
        assertThatThrownBy(() -> provider.authenticate(login("operator", TOKEN)))
                .isInstanceOf(LoginThrottledException.class);

        List<AuditEntry> entries = this.audit.list(AuditQuery.ALL, null, 100).entries();
        assertThat(entries.getFirst().action()).isEqualTo("dashboard.login_failed");
        assertThat(entries.getFirst().detail()).startsWith("throttled");
        assertThat(entries.getLast().action()).isEqualTo("dashboard.login");
        assertThat(entries.getLast().actor()).isEqualTo("dashboard:operator");
        assertThat(entries.getLast().outcome()).isEqualTo("success");
        assertThat(entries)
                .filteredOn((entry) -> "wrong user name or password".equals(entry.detail()))
                .hasSize(LoginThrottle.FREE_FAILURES_PER_ADDRESS + 1)
                .extracting(AuditEntry::outcome)
                .containsOnly("failure");
    }

    @Test
    void configuredPasswordWithoutEncoderIdShouldStopTheStartNamingTheUser() {
        assertThatIllegalStateException()
                .isThrownBy(() -> provider(true, Map.of("bob", "plain-secret")))
                .withMessageContaining("mesh.dashboard.users.bob")
                .withMessageContaining("{bcrypt}");
    }

    @Test
    void afterTooManyWrongPasswordsEvenTheRightOneShouldWaitForTheLockoutToEnd() {
        DashboardAuthenticationProvider provider = provider(true, Map.of());
        for (int i = 0; i <= LoginThrottle.FREE_FAILURES_PER_ADDRESS; i++) {
            assertThatThrownBy(() -> provider.authenticate(login("operator", "guess")))
                    .isInstanceOf(BadCredentialsException.class);
        }

        assertThatThrownBy(() -> provider.authenticate(login("operator", TOKEN)))
                .isInstanceOf(LoginThrottledException.class)
                .hasMessageContaining("try again in 30 s");

        this.clock.advance(LoginThrottle.FIRST_LOCKOUT);
        assertThat(provider.authenticate(login("operator", TOKEN)).isAuthenticated())
                .isTrue();
    }

    private DashboardAuthenticationProvider provider(boolean operatorLogin, Map<String, String> users) {
        OperatorToken tokens = new OperatorToken(
                new MeshSecurityProperties(TOKEN, null, false, false, DataSize.ofMegabytes(1), Duration.ofHours(1)),
                new MeshProperties(this.dataDir));
        return new DashboardAuthenticationProvider(
                tokens,
                new DashboardProperties(operatorLogin, users, 10, Duration.ofSeconds(10), 100, 5, List.of()),
                new LoginThrottle(this.database.dataSource(), this.clock),
                this.audit);
    }

    private static UsernamePasswordAuthenticationToken login(String user, String password) {
        return UsernamePasswordAuthenticationToken.unauthenticated(user, password);
    }
}
