package io.clawmesh.coordinator.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.clawmesh.common.key.ClientKeyRequest;
import io.clawmesh.common.node.RegisterNodeResponse;
import io.clawmesh.coordinator.MutableClock;
import io.clawmesh.coordinator.TestDatabase;
import io.clawmesh.coordinator.keys.ClientKeyRepository;
import io.clawmesh.coordinator.keys.ClientKeys;
import io.clawmesh.coordinator.keys.KeyUsage;
import io.clawmesh.coordinator.registry.MeshRole;
import io.clawmesh.coordinator.registry.NodeRegistry;
import io.clawmesh.coordinator.registry.NodeTokenRotation;
import io.clawmesh.coordinator.registry.Registrant;
import io.clawmesh.coordinator.registry.RegistryFixtures;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenAuthenticatorTests {

    private final MutableClock clock = new MutableClock();

    @TempDir
    Path dataDir;

    private TestDatabase database;

    private NodeRegistry registry;

    private ClientKeys clientKeys;

    private NodeTokenRotation rotation;

    @BeforeEach
    void setUp() {
        this.database = TestDatabase.h2();
        this.registry = RegistryFixtures.registry(this.database, this.clock);
        ClientKeyRepository keyRepository = new ClientKeyRepository(this.database.jdbcClient());
        this.clientKeys = new ClientKeys(keyRepository, new KeyUsage(keyRepository, this.clock), this.clock);
        this.rotation = RegistryFixtures.rotation(this.database, this.registry, this.clock, Duration.ZERO);
    }

    @AfterEach
    void tearDown() {
        this.database.close();
    }

    @Test
    void authenticateWhenOperatorTokenShouldBeOperator() {
        TokenAuthenticator authenticator = authenticator(SecurityFixtures.OPERATOR, SecurityFixtures.JOIN);

        assertThat(authenticator.authenticate(SecurityFixtures.OPERATOR)).hasValueSatisfying((auth) -> {
            assertThat(auth.role()).isEqualTo(MeshRole.OPERATOR);
            assertThat(auth.nodeId()).isNull();
            assertThat(auth.isAuthenticated()).isTrue();
            assertThat(auth.getAuthorities()).extracting(Object::toString).containsExactly("ROLE_OPERATOR");
        });
    }

    @Test
    void authenticateWhenSeparateJoinTokenShouldBeJoinOnly() {
        TokenAuthenticator authenticator = authenticator(SecurityFixtures.OPERATOR, SecurityFixtures.JOIN);

        assertThat(authenticator.authenticate(SecurityFixtures.JOIN)).hasValueSatisfying((auth) -> {
            assertThat(auth.role()).isEqualTo(MeshRole.JOIN);
            assertThat(auth.nodeId()).isNull();
            assertThat(auth.getAuthorities()).extracting(Object::toString).containsExactly("ROLE_JOIN");
        });
    }

    @Test
    void authenticateWhenJoinTokenEmptyShouldLetTheOperatorTokenJoinAsOperator() {
        OperatorToken tokens = SecurityFixtures.tokens(SecurityFixtures.OPERATOR, "  ", this.dataDir);
        TokenAuthenticator authenticator =
                new TokenAuthenticator(tokens, this.registry, this.clientKeys, this.rotation);

        assertThat(tokens.join()).isEqualTo(SecurityFixtures.OPERATOR);
        assertThat(authenticator.authenticate(SecurityFixtures.OPERATOR))
                .get()
                .extracting(MeshAuthentication::role)
                .isEqualTo(MeshRole.OPERATOR);
        assertThat(authenticator.authenticate(SecurityFixtures.JOIN)).isEmpty();
    }

    @Test
    void authenticateWhenNodeTokenShouldBeScopedToThatNode() {
        TokenAuthenticator authenticator = authenticator(SecurityFixtures.OPERATOR, SecurityFixtures.JOIN);
        RegisterNodeResponse first = this.registry.register(RegistryFixtures.request("gpu-1", "10.0.0.1:9121"));
        RegisterNodeResponse second = this.registry.register(RegistryFixtures.request("gpu-2", "10.0.0.2:9121"));

        assertThat(authenticator.authenticate(first.token())).hasValueSatisfying((auth) -> {
            assertThat(auth.role()).isEqualTo(MeshRole.NODE);
            assertThat(auth.nodeId()).isEqualTo(first.nodeId());
            assertThat(auth.getPrincipal()).isEqualTo(first.nodeId());
        });
        assertThat(authenticator.authenticate(second.token()))
                .get()
                .extracting(MeshAuthentication::nodeId)
                .isEqualTo(second.nodeId());
    }

    @Test
    void authenticateWhenUnknownTokenShouldBeEmpty() {
        TokenAuthenticator authenticator = authenticator(SecurityFixtures.OPERATOR, SecurityFixtures.JOIN);
        this.registry.register(RegistryFixtures.request("gpu-1", "10.0.0.1:9121"));

        assertThat(authenticator.authenticate("cmn_not-a-token")).isEmpty();
        assertThat(authenticator.authenticate("")).isEmpty();
        assertThat(authenticator.authenticate(SecurityFixtures.OPERATOR + " ")).isEmpty();
    }

    @Test
    void authenticateWhenNodeRemovedShouldStopAcceptingItsToken() {
        TokenAuthenticator authenticator = authenticator(SecurityFixtures.OPERATOR, SecurityFixtures.JOIN);
        RegisterNodeResponse node = this.registry.register(RegistryFixtures.request("gpu-1", "10.0.0.1:9121"));
        assertThat(authenticator.authenticate(node.token())).isPresent();

        this.registry.deregister(node.nodeId(), "test");

        assertThat(authenticator.authenticate(node.token())).isEmpty();
    }

    @Test
    void authenticateWhenNodeReRegisteredShouldStopAcceptingTheOldToken() {
        TokenAuthenticator authenticator = authenticator(SecurityFixtures.OPERATOR, SecurityFixtures.JOIN);
        RegisterNodeResponse before = this.registry.register(RegistryFixtures.request("gpu-1", "10.0.0.1:9121"));

        RegisterNodeResponse after = this.registry.register(
                RegistryFixtures.request("gpu-1", "10.0.0.1:9121"), Registrant.node(before.nodeId()));

        assertThat(authenticator.authenticate(before.token())).isEmpty();
        assertThat(authenticator.authenticate(after.token()))
                .get()
                .extracting(MeshAuthentication::nodeId)
                .isEqualTo(before.nodeId());
    }

    @Test
    void authenticateWhenClientKeyShouldBeClientOfThatKeyUntilRevoked() {
        TokenAuthenticator authenticator = authenticator(SecurityFixtures.OPERATOR, SecurityFixtures.JOIN);
        String secret = this.clientKeys
                .create(new ClientKeyRequest("chat-ui", null, null))
                .secret();

        assertThat(authenticator.authenticate(secret)).hasValueSatisfying((auth) -> {
            assertThat(auth.role()).isEqualTo(MeshRole.CLIENT);
            assertThat(auth.getAuthorities()).extracting(Object::toString).containsExactly("ROLE_CLIENT");
            assertThat(auth.clientKeyId()).startsWith("key-");
            assertThat(auth.getPrincipal()).isEqualTo("chat-ui");
        });
        this.clientKeys.revoke("chat-ui");
        assertThat(authenticator.authenticate(secret)).isEmpty();
        assertThat(authenticator.authenticate("cmk_unknown")).isEmpty();
    }

    private TokenAuthenticator authenticator(String operator, String join) {
        return new TokenAuthenticator(
                SecurityFixtures.tokens(operator, join, this.dataDir), this.registry, this.clientKeys, this.rotation);
    }
}
