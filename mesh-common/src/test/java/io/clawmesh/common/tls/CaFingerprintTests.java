package io.clawmesh.common.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaFingerprintTests {

    private static final String HEX = "0123456789abcdef".repeat(4);

    @TempDir
    Path dir;

    @Test
    void parseShouldAcceptUpperCaseAndOpensslColons() {
        String colons = HEX.toUpperCase().replaceAll("(..)(?!$)", "$1:");

        assertThat(CaFingerprint.parse("SHA256:" + colons)).isEqualTo(new CaFingerprint(HEX));
        assertThat(CaFingerprint.parse(" sha256:" + HEX + " ").toString()).isEqualTo("sha256:" + HEX);
    }

    @Test
    void parseWhenNotSha256AndSixtyFourHexDigitsShouldNameTheExpectedForm() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> CaFingerprint.parse(HEX))
                .withMessageContaining("sha256: and 64 hex digits");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> CaFingerprint.parse("sha256:" + HEX.substring(2)))
                .withMessageContaining("sha256: and 64 hex digits");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> CaFingerprint.parse("sha256:" + "zz" + HEX.substring(2)))
                .withMessageContaining("sha256: and 64 hex digits");
    }

    @Test
    void clientContextWhenTheCaFileIsNotACertificateShouldSaySo() throws Exception {
        Path file = Files.writeString(this.dir.resolve("ca.crt"), "not a certificate");

        assertThatIllegalArgumentException()
                .isThrownBy(() -> MeshTrust.clientContext(null, file))
                .withMessageContaining(file.toString());
    }

    @Test
    void clientContextWithoutPinOrFileShouldLeaveTrustToTheJdk() {
        assertThat(MeshTrust.clientContext(null, null)).isNull();
        assertThat(MeshTrust.clientContext(" ", null)).isNull();
    }
}
