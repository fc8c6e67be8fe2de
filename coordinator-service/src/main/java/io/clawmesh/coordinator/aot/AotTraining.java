package io.clawmesh.coordinator.aot;

import io.clawmesh.coordinator.security.OperatorToken;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * The run that trains the coordinator's AOT cache (JDK 25 {@code -XX:AOTCacheOutput}, the {@code claw-mesh}
 * launcher's {@code aot_select coordinator}): a whole start (the web server listening, the ready event's work) and
 * the first requests a user's tools make ({@link #REQUESTS}), then a clean exit, so the cache holds the classes and
 * profiles of Tomcat's start and of the first answers and not only those of a refreshed context.
 *
 * <p>It is chosen by a system property, not an argument a user types, and refuses to start ({@link #refusal}) unless
 * the web server listens on a loopback address and a random port, the data dir is new or empty and the database is H2
 * in it (so no user data is read or written). A watchdog ends the JVM with {@link #TIMED_OUT} after {@link #DEADLINE} whatever hangs; the
 * launcher keeps a cache only from a run that ended with 0.
 */
public final class AotTraining {

    /** The system property ({@code true}) that makes {@code main} run the training instead of the coordinator. */
    public static final String PROPERTY = "claw-mesh.aot-training";

    /**
     * How long a training run may take before the watchdog ends it. A start at load 10 takes about 20 s, but beside
     * builds at load 20–50 trainings ran past three minutes and failed, and the launcher does not retry a failed one
     * for a day; ten minutes still ends a run that hangs.
     */
    static final Duration DEADLINE = Duration.ofMinutes(10);

    /** The exit code of a run that the watchdog ended. */
    static final int TIMED_OUT = 3;

    /**
     * What the first users ask, each expected to answer 200: the launcher's health probe, a readiness probe, {@code
     * claw-mesh nodes} (and {@code bench/startup.sh}) with the operator token, a Prometheus scrape. Every class these
     * load is in the cache, and the JVM loads every class of the cache at every start, so the dashboard's pages
     * (Thymeleaf) are left out: a start should not pay for a page nobody has opened yet.
     */
    static final List<Request> REQUESTS = List.of(
            new Request("/actuator/health", false),
            new Request("/actuator/health/readiness", false),
            new Request("/api/v1/nodes", true),
            new Request("/actuator/prometheus", false));

    /** A GET of {@code path}, with the operator token when {@code operator}. */
    record Request(String path, boolean operator) {}

    private AotTraining() {}

    /** Whether this JVM was started to train the cache. */
    public static boolean requested() {
        return Boolean.getBoolean(PROPERTY);
    }

    /**
     * Starts {@code application} with {@code args}, sends {@link #REQUESTS} and stops it.
     *
     * @return 0 when it started and every request was answered with 200, else 1
     */
    public static int run(Class<?> application, String[] args) {
        Thread watchdog =
                Thread.ofPlatform().daemon().name("aot-training-deadline").start(AotTraining::endAfterDeadline);
        try {
            return train(application, args);
        } finally {
            watchdog.interrupt();
        }
    }

    private static int train(Class<?> application, String[] args) {
        SpringApplication spring = new SpringApplication(application);
        spring.addListeners((ApplicationListener<ApplicationEnvironmentPreparedEvent>) (event) -> {
            String refused = refusal(event.getEnvironment());
            if (refused != null) {
                throw new IllegalStateException("not an AOT training run: " + refused);
            }
        });
        try (ConfigurableApplicationContext context = spring.run(args)) {
            InetAddress address = InetAddress.getByName(context.getEnvironment().getProperty("server.address"));
            int port = ((WebServerApplicationContext) context).getWebServer().getPort();
            String token = operatorToken(context.getEnvironment());
            int unexpected = 0;
            for (Request request : REQUESTS) {
                if (status(address, port, request, token) != 200) {
                    unexpected++;
                }
            }
            return (unexpected == 0) ? 0 : 1;
        } catch (IOException | RuntimeException ex) {
            return 1;
        }
    }

    /**
     * Why a run with these settings must not train, or null when it may: the web server must listen on a loopback
     * address and port 0, the data dir must not exist yet or be empty, and the database must be H2 in that dir.
     */
    static @Nullable String refusal(ConfigurableEnvironment environment) {
        String address = environment.getProperty("server.address");
        if (address == null || !loopback(address)) {
            return "server.address is not a loopback address: " + address;
        }
        if (!"0".equals(environment.getProperty("server.port"))) {
            return "server.port is not 0";
        }
        Path dataDir = dataDir(environment);
        if (Files.exists(dataDir) && (!Files.isDirectory(dataDir) || !empty(dataDir))) {
            return "the data dir " + dataDir + " is not new";
        }
        // the packaged default, H2 in that data dir: never a database someone configured
        String url = environment.getProperty("spring.datasource.url", "");
        if (!url.startsWith("jdbc:h2:file:" + environment.getProperty("mesh.data-dir") + "/")) {
            return "spring.datasource.url is not H2 in the data dir: " + url;
        }
        return null;
    }

    private static boolean loopback(String address) {
        try {
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (IOException ex) {
            return false;
        }
    }

    private static boolean empty(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        } catch (IOException ex) {
            return false;
        }
    }

    /** The configured operator token, else the one the coordinator generated into the data dir. */
    private static String operatorToken(ConfigurableEnvironment environment) throws IOException {
        String configured = environment.getProperty("mesh.security.token", "");
        return configured.isEmpty()
                ? Files.readString(dataDir(environment).resolve(OperatorToken.FILE_NAME))
                        .strip()
                : configured;
    }

    private static Path dataDir(ConfigurableEnvironment environment) {
        return Path.of(environment.getProperty("mesh.data-dir", ""));
    }

    /** The status code of one GET over a new connection, read from the status line. */
    static int status(InetAddress address, int port, Request request, String token) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 10_000);
            socket.setSoTimeout(60_000);
            String authorization = request.operator() ? "Authorization: Bearer " + token + "\r\n" : "";
            String head = "GET " + request.path() + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n" + authorization
                    + "Connection: close\r\n\r\n";
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            // "HTTP/1.1 200 " or "HTTP/1.1 200\r\n"
            return (answer.length() >= 12 && answer.startsWith("HTTP/1.1 "))
                    ? Integer.parseInt(answer.substring(9, 12))
                    : -1;
        }
    }

    /** Ends the JVM after {@link #DEADLINE}, unless interrupted first (the run ended by itself). */
    private static void endAfterDeadline() {
        try {
            Thread.sleep(DEADLINE);
        } catch (InterruptedException ex) {
            return;
        }
        Runtime.getRuntime().halt(TIMED_OUT);
    }
}
