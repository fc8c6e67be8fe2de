package io.clawmesh.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * A network namespace joined to the host by a veth pair with a private /30 of its own, for tests that put an agent
 * behind a firewall. Needs root, {@code ip netns} and nftables or iptables; {@link #close()} deletes the namespace,
 * which takes the veth pair with it.
 */
final class NetworkNamespace implements AutoCloseable {

    private final String name;

    private final String hostInterface;

    private final String hostAddress;

    private final String namespaceAddress;

    private NetworkNamespace(String name, String hostInterface, String hostAddress, String namespaceAddress) {
        this.name = name;
        this.hostInterface = hostInterface;
        this.hostAddress = hostAddress;
        this.namespaceAddress = namespaceAddress;
    }

    /** Why this machine cannot run namespace tests, or {@code null} when it can. */
    static @Nullable String unavailable() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return "network namespace tests need root (ip netns, veth pairs, a firewall rule); running as "
                    + System.getProperty("user.name");
        }
        if (firewall() == null) {
            return "neither nft nor iptables is installed (apt-get install nftables)";
        }
        String probe = "cmprobe" + suffix();
        try {
            run("ip", "netns", "add", probe);
            run("ip", "netns", "delete", probe);
            return null;
        } catch (IOException ex) {
            return "ip netns does not work here: " + ex.getMessage();
        }
    }

    /** Creates the namespace and the veth pair, both ends up, loopback up inside. */
    static NetworkNamespace create() throws IOException {
        String suffix = suffix();
        int subnet = ThreadLocalRandom.current().nextInt(64) * 4;
        String prefix = "10.213." + ThreadLocalRandom.current().nextInt(256) + ".";
        NetworkNamespace namespace =
                new NetworkNamespace("cm" + suffix, "cmh" + suffix, prefix + (subnet + 1), prefix + (subnet + 2));
        try {
            namespace.setUp("cmn" + suffix);
            return namespace;
        } catch (IOException | RuntimeException ex) {
            namespace.close();
            throw ex;
        }
    }

    private void setUp(String namespaceInterface) throws IOException {
        run("ip", "netns", "add", this.name);
        run("ip", "link", "add", this.hostInterface, "type", "veth", "peer", "name", namespaceInterface);
        run("ip", "link", "set", namespaceInterface, "netns", this.name);
        run("ip", "addr", "add", this.hostAddress + "/30", "dev", this.hostInterface);
        run("ip", "link", "set", this.hostInterface, "up");
        inside("ip", "addr", "add", this.namespaceAddress + "/30", "dev", namespaceInterface);
        inside("ip", "link", "set", namespaceInterface, "up");
        inside("ip", "link", "set", "lo", "up");
    }

    /**
     * Drops every new inbound connection into the namespace except on its loopback, as a home router or a corporate
     * firewall does; connections the namespace opens itself (and their replies) pass.
     */
    void dropInbound() throws IOException {
        if ("nft".equals(firewall())) {
            Path rules = Files.createTempFile("clawmesh-nft-", ".conf");
            try {
                Files.writeString(rules, """
                        table inet clawmesh_e2e {
                            chain input {
                                type filter hook input priority 0; policy accept;
                                iifname "lo" accept
                                ct state established,related accept
                                ct state new drop
                            }
                        }
                        """);
                inside("nft", "-f", rules.toString());
            } finally {
                Files.deleteIfExists(rules);
            }
        } else {
            inside("iptables", "-A", "INPUT", "-i", "lo", "-j", "ACCEPT");
            inside("iptables", "-A", "INPUT", "-m", "conntrack", "--ctstate", "ESTABLISHED,RELATED", "-j", "ACCEPT");
            inside("iptables", "-A", "INPUT", "-m", "conntrack", "--ctstate", "NEW", "-j", "DROP");
        }
    }

    /**
     * Cuts the namespace off from {@code address} on {@code ports}: every packet the namespace sends there is dropped,
     * on new connections and on ones already open (a keep-alive connection goes silent too). Other traffic passes, so
     * the namespace still reaches other ports of the same address. {@link #heal()} lifts it.
     */
    void dropOutboundTo(String address, Collection<Integer> ports) throws IOException {
        if ("nft".equals(firewall())) {
            String set = ports.stream().map(String::valueOf).collect(Collectors.joining(", "));
            Path rules = Files.createTempFile("clawmesh-nft-", ".conf");
            try {
                Files.writeString(rules, """
                        table inet clawmesh_e2e_fault {
                            chain output {
                                type filter hook output priority 0; policy accept;
                                ip daddr %s tcp dport { %s } drop
                            }
                        }
                        """.formatted(address, set));
                inside("nft", "-f", rules.toString());
            } finally {
                Files.deleteIfExists(rules);
            }
        } else {
            for (int port : ports) {
                inside(
                        "iptables",
                        "-A",
                        "OUTPUT",
                        "-d",
                        address,
                        "-p",
                        "tcp",
                        "--dport",
                        String.valueOf(port),
                        "-j",
                        "DROP");
            }
        }
    }

    /** Lifts what {@link #dropOutboundTo} set up. */
    void heal() throws IOException {
        if ("nft".equals(firewall())) {
            inside("nft", "delete", "table", "inet", "clawmesh_e2e_fault");
        } else {
            inside("iptables", "-F", "OUTPUT");
        }
    }

    /** Whether a TCP connection from inside the namespace to {@code address:port} is accepted (bash's /dev/tcp). */
    boolean acceptsFromInside(String address, int port) {
        try {
            inside("timeout", "5", "bash", "-c", "exec 3<>/dev/tcp/" + address + "/" + port);
            return true;
        } catch (IOException ex) {
            return false;
        }
    }

    String name() {
        return this.name;
    }

    /** The host's end of the veth pair: where a process on the host listens for the namespace. */
    String hostAddress() {
        return this.hostAddress;
    }

    /** The namespace's end of the veth pair. */
    String namespaceAddress() {
        return this.namespaceAddress;
    }

    @Override
    public void close() {
        // deleting the namespace deletes its end of the veth pair, and with it the host's end
        try {
            run("ip", "netns", "delete", this.name);
        } catch (IOException ex) {
            // it may not have been created
        }
        try {
            run("ip", "link", "delete", this.hostInterface);
        } catch (IOException ex) {
            // already gone with the namespace
        }
    }

    private void inside(String... command) throws IOException {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", this.name));
        full.addAll(List.of(command));
        run(full.toArray(String[]::new));
    }

    private static @Nullable String firewall() {
        for (String tool : List.of("nft", "iptables")) {
            for (String dir : List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin")) {
                if (Files.isExecutable(Path.of(dir, tool))) {
                    return tool;
                }
            }
        }
        return null;
    }

    private static String suffix() {
        byte[] bytes = new byte[3];
        ThreadLocalRandom.current().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static void run(String... command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish in 20 s");
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", command), ex);
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed (" + process.exitValue() + "): " + output);
        }
    }
}
