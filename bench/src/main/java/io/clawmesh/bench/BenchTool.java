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
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Java half of the benchmark (wrk drives the load): registers thousands of extra nodes, and prints the delivery
 * credential that lets wrk talk to an agent directly.
 *
 * <pre>
 * register:   --mode register   --url http://127.0.0.1:9180 --token OPERATOR --count 10000
 * credential: --mode credential --identity AGENT_DATA_DIR/node.json
 * tasks:      --mode tasks      --url http://127.0.0.1:9180 --token OPERATOR --clients 16 --seconds 10
 * burst:      --mode burst      --url http://127.0.0.1:9180 --token OPERATOR --count 1000
 * gaps:       --mode gaps       --url http://127.0.0.1:9180 --token OPERATOR --count 600 [--submitters 4]
 * slow-model: --mode slow-model --port 8000 --seconds 5
 * idle-links: --mode idle-links --url http://127.0.0.1:9180 --token OPERATOR --count 2000 --seconds 120
 * </pre>
 */
public final class BenchTool {

    private BenchTool() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> options = parse(args);
        String mode = options.getOrDefault("mode", "register");
        switch (mode) {
            case "register" -> register(options);
            case "credential" -> credential(options);
            case "tasks" -> TaskLoad.throughput(options);
            case "burst" -> TaskLoad.burst(options);
            case "gaps" -> TaskLoad.dispatchGaps(options);
            case "slow-model" -> SlowModel.serve(options);
            case "idle-links" -> IdleLinks.hold(options);
            default ->
                throw new IllegalArgumentException("unknown --mode " + mode
                        + " (register, credential, tasks, burst, gaps, slow-model or idle-links)");
        }
    }

    /** Prints the delivery credential the coordinator would show the agent whose identity file is given. */
    private static void credential(Map<String, String> options) throws Exception {
        String identity = Files.readString(Path.of(required(options, "identity")));
        System.out.println(NodeCredentials.deliveryCredential(
                NodeCredentials.hash(field(identity, "token")), field(identity, "node_id")));
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
            registerNode(http, url, token, endpoint, body);
        }
        System.out.printf(
                "registered=%d in %d ms%n",
                count, Duration.between(begin, Instant.now()).toMillis());
    }

    /**
     * Registers one node with the operator token.
     *
     * @return the coordinator's answer (node id and token)
     */
    static String registerNode(HttpClient http, String url, String token, String what, String body) throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(url + ApiPaths.REGISTER))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            throw new IllegalStateException(
                    "registering " + what + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    static String field(String json, String name) {
        Matcher matcher =
                Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
        if (!matcher.find()) {
            throw new IllegalArgumentException("no " + name + " in " + json);
        }
        return matcher.group(1);
    }

    static String required(Map<String, String> options, String name) {
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
