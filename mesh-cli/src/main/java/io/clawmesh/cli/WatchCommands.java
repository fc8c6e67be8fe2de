package io.clawmesh.cli;

import io.clawmesh.cli.client.MeshClients;
import io.clawmesh.cli.client.MeshErrors;
import io.clawmesh.cli.output.EventLines;
import io.clawmesh.cli.output.Untrusted;
import io.clawmesh.cli.settings.ConnectionSettings;
import io.clawmesh.cli.support.Interrupts;
import io.clawmesh.cli.support.UsageException;
import io.clawmesh.common.api.ApiPaths;
import io.clawmesh.common.event.MeshEventView;
import io.clawmesh.common.json.StrictJson;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatusCode;
import org.springframework.shell.core.command.CommandContext;
import org.springframework.shell.core.command.annotation.Command;
import org.springframework.shell.core.command.annotation.Option;
import org.springframework.stereotype.Component;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code watch} verb: prints the coordinator's live event stream ({@code GET /api/v1/events}, server-sent events)
 * until interrupted or until {@code --count} events were printed. A dropped stream is resumed with
 * {@code Last-Event-ID}, so no event is printed twice or lost while the coordinator's replay buffer reaches.
 */
@Component
public class WatchCommands {

    private static final JsonMapper JSON = StrictJson.configure(JsonMapper.builder())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

    private final MeshClients clients;

    private final Interrupts interrupts;

    private volatile @Nullable Stream<String> current;

    private volatile boolean stopped;

    public WatchCommands(MeshClients clients, Interrupts interrupts) {
        this.clients = clients;
        this.interrupts = interrupts;
    }

    @Command(
            name = "watch",
            group = "Mesh",
            description = "Print live mesh events (nodes joining, status changes, rules, routed messages) until Ctrl-C")
    public void watch(
            CommandContext context,
            @Option(longName = "count", description = "stop after this many events (0: never)", defaultValue = "0")
                    int count,
            @Option(longName = "since", description = "also replay the events after this event id") @Nullable
                    Long since)
            throws InterruptedException {
        if (count < 0) {
            throw new UsageException("watch", "--count must be 0 or more, not " + count);
        }
        ConnectionSettings settings = this.clients.settings(context);
        HttpClient http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        EventPrinter state = new EventPrinter(context.outputWriter(), settings.json(), count, since);
        this.stopped = false;
        try (AutoCloseable handle = this.interrupts.onInterrupt(this::stop)) {
            follow(http, settings, state);
        } catch (InterruptedException | RuntimeException ex) {
            throw ex;
        } catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    private void stop() {
        this.stopped = true;
        Stream<String> lines = this.current;
        if (lines != null) {
            lines.close();
        }
    }

    private void follow(HttpClient http, ConnectionSettings settings, EventPrinter state) throws InterruptedException {
        Duration backoff = Duration.ofSeconds(1);
        boolean connectedOnce = false;
        while (!state.done() && !this.stopped) {
            try {
                HttpResponse<Stream<String>> response =
                        http.send(request(settings, state.lastId), HttpResponse.BodyHandlers.ofLines());
                if (response.statusCode() != 200) {
                    String body = String.join("\n", response.body().limit(50).toList());
                    throw MeshErrors.refused(settings, HttpStatusCode.valueOf(response.statusCode()), body);
                }
                connectedOnce = true;
                backoff = Duration.ofSeconds(1);
                try (Stream<String> lines = response.body()) {
                    this.current = lines;
                    state.read(lines.iterator());
                } catch (RuntimeException ex) {
                    if (!this.stopped) {
                        throw ex;
                    }
                } finally {
                    this.current = null;
                }
            } catch (IOException ex) {
                if (!connectedOnce) {
                    throw MeshErrors.unreachable(settings, ex);
                }
            }
            if (!state.done() && !this.stopped) {
                System.err.println("claw-mesh: the event stream from " + settings.coordinator()
                        + " ended; reconnecting in " + backoff.toSeconds() + "s");
                Thread.sleep(backoff.toMillis());
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
    }

    private static HttpRequest request(ConnectionSettings settings, @Nullable Long lastId) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(settings.coordinator() + ApiPaths.EVENTS))
                .header("Accept", "text/event-stream")
                .GET();
        if (settings.token() != null) {
            builder.header("Authorization", "Bearer " + settings.token());
        }
        if (lastId != null) {
            builder.header("Last-Event-ID", String.valueOf(lastId));
        }
        return builder.build();
    }

    /** Reads server-sent events and prints them; remembers the last id for a resume. */
    private static final class EventPrinter {

        private final PrintWriter out;

        private final boolean json;

        private final int limit;

        private @Nullable Long lastId;

        private int printed;

        EventPrinter(PrintWriter out, boolean json, int limit, @Nullable Long since) {
            this.out = out;
            this.json = json;
            this.limit = limit;
            this.lastId = since;
        }

        boolean done() {
            return this.limit > 0 && this.printed >= this.limit;
        }

        void read(Iterator<String> lines) {
            StringBuilder data = new StringBuilder();
            String id = null;
            while (!done() && lines.hasNext()) {
                String line = lines.next();
                if (line.isEmpty()) {
                    dispatch(id, data);
                    data.setLength(0);
                    id = null;
                } else if (line.startsWith("data:")) {
                    data.append(data.isEmpty() ? "" : "\n").append(field(line));
                } else if (line.startsWith("id:")) {
                    id = field(line);
                }
                // "event:" repeats the type that data carries; ":" lines are keep-alive comments
            }
        }

        private void dispatch(@Nullable String id, StringBuilder data) {
            if (data.isEmpty()) {
                return;
            }
            if (id != null && id.matches("\\d+")) {
                this.lastId = Long.valueOf(id);
            }
            String text = data.toString();
            // the stream carries node-supplied text: nothing reaches the terminal unescaped
            if (this.json) {
                this.out.println(Untrusted.jsonLine(text));
            } else {
                try {
                    this.out.println(EventLines.of(JSON.readValue(text, MeshEventView.class)));
                } catch (RuntimeException ex) {
                    this.out.println(Untrusted.cell(text));
                }
            }
            this.out.flush();
            this.printed++;
        }

        private static String field(String line) {
            String value = line.substring(line.indexOf(':') + 1);
            return value.startsWith(" ") ? value.substring(1) : value;
        }
    }
}
