package io.clawmesh.agent.tls;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import org.jspecify.annotations.Nullable;

/**
 * Presents the node certificate in use right now: {@link #use} swaps key and chain for the next handshake, so a
 * renewed certificate is served without a restart (connections already open keep theirs). Before the first
 * certificate it presents none, and every handshake fails.
 */
final class ServedNodeKey extends X509ExtendedKeyManager {

    static final String ALIAS = "node";

    private record Material(PrivateKey key, X509Certificate[] chain) {}

    private volatile @Nullable Material material;

    void use(PrivateKey key, X509Certificate[] chain) {
        this.material = new Material(key, chain.clone());
    }

    /** The certificate served now, or {@code null} before the first one. */
    @Nullable
    X509Certificate current() {
        Material now = this.material;
        return (now != null) ? now.chain()[0] : null;
    }

    @Override
    public String @Nullable [] getServerAliases(String keyType, Principal @Nullable [] issuers) {
        Material now = this.material;
        // the certificate's key names the type as TLS does ("EC"); a key read back from PEM may say "ECDSA"
        return (now != null && now.chain()[0].getPublicKey().getAlgorithm().equals(keyType))
                ? new String[] {ALIAS}
                : null;
    }

    @Override
    public @Nullable String chooseServerAlias(String keyType, Principal @Nullable [] issuers, @Nullable Socket socket) {
        String[] aliases = getServerAliases(keyType, issuers);
        return (aliases != null) ? aliases[0] : null;
    }

    @Override
    public @Nullable String chooseEngineServerAlias(
            String keyType, Principal @Nullable [] issuers, @Nullable SSLEngine engine) {
        return chooseServerAlias(keyType, issuers, null);
    }

    @Override
    public X509Certificate @Nullable [] getCertificateChain(String alias) {
        Material now = this.material;
        return (now != null && ALIAS.equals(alias)) ? now.chain().clone() : null;
    }

    @Override
    public @Nullable PrivateKey getPrivateKey(String alias) {
        Material now = this.material;
        return (now != null && ALIAS.equals(alias)) ? now.key() : null;
    }

    @Override
    public String @Nullable [] getClientAliases(String keyType, Principal @Nullable [] issuers) {
        return null; // the agent's server side only
    }

    @Override
    public @Nullable String chooseClientAlias(
            String[] keyType, Principal @Nullable [] issuers, @Nullable Socket socket) {
        return null;
    }
}
