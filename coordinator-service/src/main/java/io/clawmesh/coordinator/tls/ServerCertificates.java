package io.clawmesh.coordinator.tls;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Keeps the coordinator's server certificate of the mesh CA current: issues one for this machine's names and
 * addresses when there is none, when it is no longer the CA's, lacks a name, or has less than a third of its lifetime
 * left. The files change by rename, and Boot's SSL bundle reloads them without a restart.
 */
public class ServerCertificates {

    private final TlsFiles files;

    private final TlsProperties properties;

    private final Clock clock;

    public ServerCertificates(TlsFiles files, TlsProperties properties, Clock clock) {
        this.files = files;
        this.properties = properties;
        this.clock = clock;
    }

    /** The CA (created when missing), and a fresh server certificate when it is due; true when one was issued. */
    public synchronized boolean ensure() {
        Instant now = this.clock.instant();
        CertificateAuthority authority = this.files.loadOrCreateAuthority(now, this.properties.caLifetime());
        List<String> names = names();
        X509Certificate current = this.files.serverCertificateOrNull();
        if (current != null && !due(current, authority, names, now)) {
            return false;
        }
        KeyPair pair = CertificateAuthority.newKeyPair();
        X509Certificate issued = authority.issueServer(
                pair.getPublic(), "claw-mesh coordinator", names, now, this.properties.serverLifetime());
        this.files.writeServer(pair, issued, authority.certificate());
        return true;
    }

    /** The files this keeps. */
    public TlsFiles files() {
        return this.files;
    }

    boolean due(X509Certificate current, CertificateAuthority authority, List<String> names, Instant now) {
        if (!current.getIssuerX500Principal().equals(authority.certificate().getSubjectX500Principal())) {
            return true;
        }
        try {
            current.verify(authority.certificate().getPublicKey());
        } catch (java.security.GeneralSecurityException ex) {
            return true; // another CA of the same name (a data dir restored in part)
        }
        Instant notBefore = current.getNotBefore()
                .toInstant()
                .plus(CertificateAuthority.backdate(this.properties.serverLifetime()));
        Instant notAfter = current.getNotAfter().toInstant();
        Duration left = Duration.between(now, notAfter);
        if (left.compareTo(Duration.between(notBefore, notAfter).dividedBy(3)) < 0) {
            return true;
        }
        return !TlsFiles.alternativeNames(current)
                .containsAll(names.stream().map(ServerCertificates::canonical).toList());
    }

    /** localhost, the loopback addresses, this host's name and addresses, and {@code mesh.tls.hostnames}. */
    List<String> names() {
        Set<String> names = new LinkedHashSet<>(List.of("localhost", "127.0.0.1", "::1"));
        try {
            names.add(InetAddress.getLocalHost().getHostName());
        } catch (UnknownHostException ex) {
            // a host without a resolvable name: the addresses below still work
        }
        for (InetAddress address : interfaceAddresses()) {
            String text = address.getHostAddress();
            int zone = text.indexOf('%');
            names.add((zone >= 0) ? text.substring(0, zone) : text);
        }
        names.addAll(this.properties.hostnames());
        return List.copyOf(names);
    }

    private static List<InetAddress> interfaceAddresses() {
        try {
            return Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                    .flatMap(NetworkInterface::inetAddresses)
                    .filter((address) -> !address.isLinkLocalAddress())
                    .toList();
        } catch (SocketException ex) {
            return List.of();
        }
    }

    /** How the JDK writes a name back from a certificate (IPv6 addresses in full form). */
    private static String canonical(String name) {
        if (!CertificateAuthority.isAddress(name)) {
            return name;
        }
        try {
            return InetAddress.getByName(name).getHostAddress();
        } catch (UnknownHostException ex) {
            return name;
        }
    }

    static @Nullable X509Certificate lastOf(List<X509Certificate> chain) {
        return chain.isEmpty() ? null : chain.get(chain.size() - 1);
    }
}
