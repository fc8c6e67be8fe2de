package io.clawmesh.bench;

import io.clawmesh.common.api.ApiPaths;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Task load for the benchmark: clients that submit a task and follow its event stream to the end, as a user of
 * {@code send --async} plus {@code task watch} would; a burst of concurrent tasks; and the gap between a task finishing
 * on a node and the next queued task starting there (dispatch latency), read from the tasks' own timestamps.
 */
final class TaskLoad {

    private static final Pattern TASK_ID = Pattern.compile("\"task_id\"\\s*:\\s*\"([^\"]+)\"");

    private TaskLoad() {}

    /** {@code --clients} clients submit and follow tasks for {@code --seconds}; prints completed tasks per second. */
    static void throughput(Map<String, String> options) throws Exception {
        Client client = new Client(BenchTool.required(options, "url"), BenchTool.required(options, "token"));
        int clients = Integer.parseInt(options.getOrDefault("clients", "16"));
        Duration length = Duration.ofSeconds(Long.parseLong(options.getOrDefault("seconds", "10")));
        AtomicInteger succeeded = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        long end = System.nanoTime() + length.toNanos();
        long begin = System.nanoTime();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < clients; c++) {
                int clientNumber = c;
                pool.submit(() -> {
                    int i = 0;
                    while (System.nanoTime() < end) {
                        long start = System.nanoTime();
                        try {
                            String last = client.submitAndFollow("bench task " + clientNumber + "-" + i++);
                            if (last.equals("succeeded")) {
                                succeeded.incrementAndGet();
                                latencies.add(System.nanoTime() - start);
                            } else {
                                failed.incrementAndGet();
                            }
                        } catch (Exception ex) {
                            failed.incrementAndGet();
                        }
                    }
                    return null;
                });
            }
        }
        double seconds = (System.nanoTime() - begin) / 1e9;
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        System.out.printf(
                "mode=tasks clients=%d succeeded=%d failed=%d tasks_per_s=%.0f p50_ms=%.1f p99_ms=%.1f%n",
                clients,
                succeeded.get(),
                failed.get(),
                succeeded.get() / seconds,
                percentile(sorted, 0.50) / 1e6,
                percentile(sorted, 0.99) / 1e6);
    }

    /** Submits {@code --count} tasks at once and follows each to its end; prints how many succeeded and how long. */
    static void burst(Map<String, String> options) throws Exception {
        Client client = new Client(BenchTool.required(options, "url"), BenchTool.required(options, "token"));
        int count = Integer.parseInt(options.getOrDefault("count", "1000"));
        Map<String, AtomicInteger> outcomes = new HashMap<>();
        long begin = System.nanoTime();
        List<Future<String>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < count; i++) {
                int n = i;
                results.add(pool.submit(() -> client.submitAndFollow("burst task " + n)));
            }
            for (Future<String> result : results) {
                String outcome;
                try {
                    outcome = result.get();
                } catch (Exception ex) {
                    outcome = "error: " + ex.getCause();
                }
                outcomes.computeIfAbsent(outcome, (k) -> new AtomicInteger()).incrementAndGet();
            }
        }
        System.out.printf(
                "mode=burst count=%d seconds=%.1f outcomes=%s%n", count, (System.nanoTime() - begin) / 1e9, outcomes);
    }

    /**
     * Queues {@code --count} tasks on nodes with one slot each (the agents must run with capacity 1), waits for all,
     * and prints the gaps between a task finishing on a node and the next one starting there. {@code --submitters}
     * clients (default 4) submit at once, so that a queue builds up; the gaps of the next tasks that were already
     * queued when the previous one finished are the dispatch latency ({@code queued_*}); the others ({@code all_*},
     * what this mode printed alone before) also hold the wait for a submission when the queue had run dry.
     */
    static void dispatchGaps(Map<String, String> options) throws Exception {
        Client client = new Client(BenchTool.required(options, "url"), BenchTool.required(options, "token"));
        int count = Integer.parseInt(options.getOrDefault("count", "600"));
        int submitters = Integer.parseInt(options.getOrDefault("submitters", "4"));
        List<Future<String>> submitted = new ArrayList<>();
        try (ExecutorService pool =
                Executors.newFixedThreadPool(submitters, Thread.ofVirtual().factory())) {
            for (int i = 0; i < count; i++) {
                String content = "gap task " + i;
                submitted.add(pool.submit(() -> client.submit(content)));
            }
        }
        Map<String, List<Instant[]>> byNode = new HashMap<>();
        for (Future<String> id : submitted) {
            String body = client.awaitFinished(id.get());
            String node = field(body, "node_id");
            byNode.computeIfAbsent(node, (k) -> new ArrayList<>()).add(new Instant[] {
                Instant.parse(field(body, "started_at")),
                Instant.parse(field(body, "finished_at")),
                Instant.parse(field(body, "created_at"))
            });
        }
        List<Long> all = new ArrayList<>();
        List<Long> queued = new ArrayList<>();
        for (List<Instant[]> runs : byNode.values()) {
            runs.sort((a, b) -> a[0].compareTo(b[0]));
            for (int i = 1; i < runs.size(); i++) {
                long gap = Duration.between(runs.get(i - 1)[1], runs.get(i)[0]).toNanos();
                all.add(gap);
                if (!runs.get(i)[2].isAfter(runs.get(i - 1)[1])) {
                    queued.add(gap);
                }
            }
        }
        Collections.sort(all);
        Collections.sort(queued);
        System.out.printf(
                "mode=gaps tasks=%d nodes=%d queued_gaps=%d queued_p50_ms=%.2f queued_p99_ms=%.2f queued_max_ms=%.2f"
                        + " all_p50_ms=%.2f all_p99_ms=%.2f all_max_ms=%.2f%n",
                count,
                byNode.size(),
                queued.size(),
                percentile(queued, 0.50) / 1e6,
                percentile(queued, 0.99) / 1e6,
                queued.isEmpty() ? 0 : queued.getLast() / 1e6,
                percentile(all, 0.50) / 1e6,
                percentile(all, 0.99) / 1e6,
                all.isEmpty() ? 0 : all.getLast() / 1e6);
    }

    private static long percentile(List<Long> sorted, double p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }

    private static String field(String json, String name) {
        Matcher matcher =
                Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
        if (!matcher.find()) {
            throw new IllegalStateException("no " + name + " in " + json);
        }
        return matcher.group(1);
    }

    /** The task API over one HTTP/1.1 client. */
    private static final class Client {

        private final HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

        private final String url;

        private final String token;

        private final AtomicLong retries = new AtomicLong();

        Client(String url, String token) {
            this.url = url;
            this.token = token;
        }

        String submit(String content) throws IOException, InterruptedException {
            while (true) {
                HttpResponse<String> response = this.http.send(
                        HttpRequest.newBuilder(URI.create(this.url + ApiPaths.TASKS))
                                .header("Authorization", "Bearer " + this.token)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString("{\"content\":\"" + content + "\"}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 429) {
                    // the queue is full: wait as Retry-After says, as a well-behaved client does
                    this.retries.incrementAndGet();
                    Thread.sleep(Duration.ofSeconds(Long.parseLong(
                            response.headers().firstValue("Retry-After").orElse("1"))));
                    continue;
                }
                if (response.statusCode() != 202) {
                    throw new IllegalStateException(
                            "submit answered " + response.statusCode() + ": " + response.body());
                }
                Matcher matcher = TASK_ID.matcher(response.body());
                if (!matcher.find()) {
                    throw new IllegalStateException("no task_id in " + response.body());
                }
                return matcher.group(1);
            }
        }

        /** Submits a task and reads its event stream to the final event; answers that event's name. */
        String submitAndFollow(String content) throws IOException, InterruptedException {
            String id = submit(content);
            HttpResponse<InputStream> response = this.http.send(
                    HttpRequest.newBuilder(URI.create(this.url + ApiPaths.TASKS + "/" + id + "/events"))
                            .header("Authorization", "Bearer " + this.token)
                            .header("Accept", "text/event-stream")
                            .build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (BufferedReader reader =
                    new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    if (line.startsWith("event:")) {
                        String name = line.substring(6).strip();
                        if (name.equals("succeeded")
                                || name.equals("failed")
                                || name.equals("canceled")
                                || name.equals("timed_out")) {
                            // the coordinator ends the stream after the final event: reading to that end, as a
                            // client that follows the stream does, lets the connection serve the next request
                            // (left unread, the JDK client drops it and each task costs a new connection)
                            while (reader.readLine() != null) {
                                // the rest of the final event's frame and the end of the chunked body
                            }
                            return name;
                        }
                    }
                }
            }
            return "stream ended early";
        }

        String awaitFinished(String id) throws IOException, InterruptedException {
            while (true) {
                HttpResponse<String> response = this.http.send(
                        HttpRequest.newBuilder(URI.create(this.url + ApiPaths.TASKS + "/" + id))
                                .header("Authorization", "Bearer " + this.token)
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                String status = field(response.body(), "status");
                if (!status.equals("queued") && !status.equals("assigned") && !status.equals("running")) {
                    return response.body();
                }
                Thread.sleep(50);
            }
        }
    }
}
