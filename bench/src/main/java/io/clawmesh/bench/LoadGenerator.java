package io.clawmesh.bench;

import io.clawmesh.common.api.ApiPaths;
import io.clawmesh.common.node.NodeCredentials;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A closed-loop load generator: N clients on platform threads, each sending one request after another over its own
 * keep-alive connection, for a fixed time after a warm-up. Prints throughput and latency percentiles as one line.
 *
 * <pre>
 * routed:   --mode routed   --url http://127.0.0.1:9180 --token OPERATOR --concurrency 16 --seconds 10
 * direct:   --mode direct   --url http://127.0.0.1:9121 --identity DATA_DIR/node.json --concurrency 16 --seconds 10
 * register: --mode register --url http://127.0.0.1:9180 --token OPERATOR --count 10000
 * </pre>
 */
public final class LoadGenerator {

    private LoadGenerator() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> options = parse(args);
        String mode = options.getOrDefault("mode", "routed");
        switch (mode) {
            case "routed", "direct" -> run(mode, options);
            case "register" -> register(options);
            default -> throw new IllegalArgumentException("unknown --mode " + mode + " (routed, direct or register)");
        }
    }

    private static void run(String mode, Map<String, String> options) throws Exception {
        String url = required(options, "url");
        int concurrency = Integer.parseInt(options.getOrDefault("concurrency", "16"));
        Duration measure = Duration.ofSeconds(Long.parseLong(options.getOrDefault("seconds", "10")));
        Duration warmup = Duration.ofSeconds(Long.parseLong(options.getOrDefault("warmup", "3")));
        HttpRequest.Builder template;
        if (mode.equals("routed")) {
            template = HttpRequest.newBuilder(URI.create(url + ApiPaths.ROUTE))
                    .header("Authorization", "Bearer " + required(options, "token"));
        } else {
            String identity = Files.readString(Path.of(required(options, "identity")));
            String nodeId = field(identity, "node_id");
            String credential =
                    NodeCredentials.deliveryCredential(NodeCredentials.hash(field(identity, "token")), nodeId);
            template = HttpRequest.newBuilder(URI.create(url + ApiPaths.AGENT_MESSAGES))
                    .header("Authorization", "Bearer " + credential);
        }
        template.header("Content-Type", "application/json").timeout(Duration.ofSeconds(30));
        boolean direct = mode.equals("direct");

        AtomicBoolean recording = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong errors = new AtomicLong();
        long[][] latencies = new long[concurrency][];
        int[] counts = new int[concurrency];
        Thread[] clients = new Thread[concurrency];
        for (int c = 0; c < concurrency; c++) {
            int client = c;
            latencies[c] = new long[1 << 16];
            clients[c] = Thread.ofPlatform().name("client-" + c).start(() -> {
                HttpClient http = HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(5))
                        .build();
                long sequence = 0;
                while (!stop.get()) {
                    String body = direct
                            ? "{\"id\":\"bench-" + client + "-" + sequence + "\",\"content\":\"ping " + sequence
                                    + "\",\"source\":\"bench\"}"
                            : "{\"content\":\"ping " + sequence + "\",\"source\":\"bench\"}";
                    sequence++;
                    long start = System.nanoTime();
                    boolean ok;
                    try {
                        HttpResponse<String> response = http.send(
                                template.copy()
                                        .POST(HttpRequest.BodyPublishers.ofString(body))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                        ok = response.statusCode() == 200;
                    } catch (Exception ex) {
                        ok = false;
                    }
                    long elapsed = System.nanoTime() - start;
                    if (recording.get()) {
                        if (!ok) {
                            errors.incrementAndGet();
                        }
                        if (counts[client] == latencies[client].length) {
                            latencies[client] = Arrays.copyOf(latencies[client], latencies[client].length * 2);
                        }
                        latencies[client][counts[client]++] = elapsed;
                    }
                }
            });
        }
        Thread.sleep(warmup.toMillis());
        recording.set(true);
        Instant begin = Instant.now();
        Thread.sleep(measure.toMillis());
        recording.set(false);
        Duration elapsed = Duration.between(begin, Instant.now());
        stop.set(true);
        for (Thread client : clients) {
            client.join();
        }
        report(mode, concurrency, elapsed, latencies, counts, errors.get());
    }

    private static void report(
            String mode, int concurrency, Duration elapsed, long[][] latencies, int[] counts, long errors) {
        int total = Arrays.stream(counts).sum();
        long[] all = new long[total];
        int offset = 0;
        for (int c = 0; c < counts.length; c++) {
            System.arraycopy(latencies[c], 0, all, offset, counts[c]);
            offset += counts[c];
        }
        Arrays.sort(all);
        double seconds = elapsed.toNanos() / 1e9;
        System.out.printf(
                "mode=%s concurrency=%d requests=%d errors=%d throughput=%.0f/s p50=%.2fms p99=%.2fms max=%.2fms%n",
                mode,
                concurrency,
                total,
                errors,
                total / seconds,
                percentile(all, 0.50),
                percentile(all, 0.99),
                (all.length > 0) ? all[all.length - 1] / 1e6 : 0.0);
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] / 1e6;
    }

    /** Registers extra nodes on loopback ports nobody serves, e.g. to show that routing cost ignores them. */
    private static void register(Map<String, String> options) throws Exception {
        String url = required(options, "url");
        int count = Integer.parseInt(options.getOrDefault("count", "10000"));
        String token = required(options, "token");
        HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        Instant begin = Instant.now();
        for (int i = 0; i < count; i++) {
            // 127.0.0.2-127.0.0.255, ports 1-(count/254+1): loopback addresses where no agent listens.
            String endpoint = "127.0.0." + (2 + i % 254) + ":" + (1 + i / 254);
            String body = "{\"name\":\"ghost-" + i + "\",\"endpoint\":\"" + endpoint
                    + "\",\"capabilities\":{\"os\":\"linux\",\"arch\":\"amd64\",\"gpu\":false,\"memory_gb\":1,\"tags\":[\"ghost\"],\"skills\":[]}}";
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create(url + ApiPaths.REGISTER))
                            .header("Authorization", "Bearer " + token)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 201) {
                throw new IllegalStateException(
                        "registering " + endpoint + " answered " + response.statusCode() + ": " + response.body());
            }
        }
        System.out.printf(
                "registered=%d in %d ms%n",
                count, Duration.between(begin, Instant.now()).toMillis());
    }

    private static String field(String json, String name) {
        Matcher matcher =
                Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
        if (!matcher.find()) {
            throw new IllegalArgumentException("no " + name + " in the identity file");
        }
        return matcher.group(1);
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return value;
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value pairs, got " + args[i]);
            }
            options.put(args[i].substring(2), args[++i]);
        }
        return options;
    }
}
