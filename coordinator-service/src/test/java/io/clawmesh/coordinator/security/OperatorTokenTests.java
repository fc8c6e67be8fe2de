package io.clawmesh.coordinator.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OperatorTokenTests {

    @TempDir
    Path dataDir;

    @Test
    void operatorWhenConfiguredShouldUseItStrippedAndWriteNoFile() {
        OperatorToken tokens = SecurityFixtures.tokens("  " + SecurityFixtures.OPERATOR + "\n", null, this.dataDir);

        assertThat(tokens.operator()).isEqualTo(SecurityFixtures.OPERATOR);
        assertThat(tokens.join()).isEqualTo(SecurityFixtures.OPERATOR);
        assertThat(this.dataDir.resolve(OperatorToken.FILE_NAME)).doesNotExist();
    }

    @Test
    void operatorWhenNotConfiguredShouldGenerateOneAndStoreItOwnerOnly() throws IOException {
        Path home = this.dataDir.resolve("new-data-dir");

        OperatorToken tokens = SecurityFixtures.tokens(null, null, home);

        Path file = home.resolve(OperatorToken.FILE_NAME);
        assertThat(tokens.operator()).matches("cmo_[A-Za-z0-9_-]{43}");
        assertThat(Files.readString(file).strip()).isEqualTo(tokens.operator());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        assertThat(tokens.join()).isEqualTo(tokens.operator());
    }

    @Test
    void operatorWhenGeneratedBeforeShouldReuseTheStoredToken() {
        String first = SecurityFixtures.tokens(null, null, this.dataDir).operator();

        String second = SecurityFixtures.tokens("", null, this.dataDir).operator();

        assertThat(second).isEqualTo(first);
    }

    @Test
    void joinWhenConfiguredShouldDifferFromTheOperatorToken() {
        OperatorToken tokens = SecurityFixtures.tokens(SecurityFixtures.OPERATOR, SecurityFixtures.JOIN, this.dataDir);

        assertThat(tokens.join()).isEqualTo(SecurityFixtures.JOIN);
        assertThat(tokens.operator()).isEqualTo(SecurityFixtures.OPERATOR);
    }
}
