package io.clawmesh.coordinator.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.annotation.DirtiesContext.ClassMode;
import org.springframework.test.context.TestPropertySource;

/**
 * Issue 12 item 8 over real HTTP: one join token could register any number of nodes, each probed until eviction. Now
 * join-token registrations are limited per source address, for the token as a whole and by the size of the mesh (429
 * with Retry-After, nothing registered); the operator token is not limited. Requests come from different loopback
 * source addresses (127.0.0.1, 127.0.0.2, ...) so the per-address limit can be told apart from the token's. A fresh
 * context per test gives each test fresh buckets.
 */
@TestPropertySource(
        properties = {
            "mesh.security.allow-private=true",
            "mesh.registry.join-limits.per-address-burst=3",
            "mesh.registry.join-limits.per-address-per-minute=1",
            "mesh.registry.join-limits.burst=5",
            "mesh.registry.join-limits.per-minute=1",
            "mesh.registry.join-limits.max-nodes=12"
        })
@DirtiesContext(classMode = ClassMode.AFTER_EACH_TEST_METHOD)
class RegistrationFloodIntegrationTests extends ApiIntegrationTestSupport {

    private int nodes;

    @Test
    void joinRegistrationsOverTheAddressAndTokenRatesShouldAnswer429WithRetryAfterAndRegisterNothing() {
        for (int i = 0; i < 3; i++) {
            assertThat(registerFrom("127.0.0.1", ApiFixtures.JOIN_TOKEN).status())
                    .isEqualTo(201);
        }
        MeshState before = state();

        Reply perAddress = registerFrom("127.0.0.1", ApiFixtures.JOIN_TOKEN);

        assertLimited(perAddress, "from 127.0.0.1", "per-address-per-minute");
        assertThat(state()).isEqualTo(before);
        assertThat(registerFrom("127.0.0.1", ApiFixtures.OPERATOR_TOKEN).status())
                .as("the operator token is not limited")
                .isEqualTo(201);
        assertThat(registerFrom("127.0.0.2", ApiFixtures.JOIN_TOKEN).status())
                .as("another address has its own budget")
                .isEqualTo(201);
        assertThat(registerFrom("127.0.0.2", ApiFixtures.JOIN_TOKEN).status()).isEqualTo(201);
        MeshState full = state();

        Reply perToken = registerFrom("127.0.0.3", ApiFixtures.JOIN_TOKEN);

        assertLimited(perToken, "with the join token", "join-limits.per-minute");
        assertThat(state()).isEqualTo(full);
    }

    @Test
    void refusedJoinRegistrationsShouldNotUseTheBudget() {
        for (int i = 0; i < 5; i++) {
            Reply bad = post(
                    "127.0.0.1",
                    ApiFixtures.JOIN_TOKEN,
                    "{\"name\":\"bad name\",\"endpoint\":\"127.0.0.1:" + (20000 + i) + "\"}");
            assertThat(bad.status()).isEqualTo(400);
        }

        assertThat(registerFrom("127.0.0.1", ApiFixtures.JOIN_TOKEN).status()).isEqualTo(201);
    }

    @Test
    void joinRegistrationWhenTheMeshHoldsMaxNodesShouldAnswer429AndRegisterNothing() {
        for (int i = 0; i < 12; i++) {
            assertThat(registerFrom("127.0.0.1", ApiFixtures.OPERATOR_TOKEN).status())
                    .isEqualTo(201);
        }
        MeshState before = state();

        Reply reply = registerFrom("127.0.0.4", ApiFixtures.JOIN_TOKEN);

        assertLimited(reply, "already holds 12 nodes", "max-nodes");
        assertThat(state()).isEqualTo(before);
        assertThat(registerFrom("127.0.0.1", ApiFixtures.OPERATOR_TOKEN).status())
                .as("the operator may still register")
                .isEqualTo(201);
    }

    private static void assertLimited(Reply reply, String... detail) {
        String contentType = reply.headers().get("content-type");
        assertThat(assertProblem(reply.status(), contentType, reply.body(), 429, "too-many-registrations"))
                .contains(detail);
        assertThat(reply.headers()).containsKey("retry-after");
        assertThat(Long.parseLong(reply.headers().get("retry-after"))).isPositive();
    }

    private Reply registerFrom(String address, String token) {
        int n = ++this.nodes;
        Reply reply =
                post(address, token, "{\"name\":\"flood-" + n + "\",\"endpoint\":\"127.0.0.1:" + (20000 + n) + "\"}");
        if (reply.status() == 201) {
            assertThat((String) JsonPath.read(reply.body(), "$.node_id")).startsWith("node-");
        }
        return reply;
    }

    /** A registration over a plain HTTP/1.1 connection from {@code localAddress}, which the JDK client cannot choose. */
    private Reply post(String localAddress, String token, String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        String head = "POST " + REGISTER + " HTTP/1.1\r\nHost: 127.0.0.1:" + this.port + "\r\nAuthorization: Bearer "
                + token + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                + "\r\nConnection: close\r\n\r\n";
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(localAddress), 0));
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), this.port), 5000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            InputStream in = socket.getInputStream();
            return Reply.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** Status, lower-case headers and body of an HTTP/1.1 answer (chunked bodies are joined). */
    record Reply(int status, Map<String, String> headers, String body) {

        static Reply parse(String raw) {
            int end = raw.indexOf("\r\n\r\n");
            String[] lines = raw.substring(0, end).split("\r\n");
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.put(
                        lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).trim());
            }
            String body = raw.substring(end + 4);
            if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                body = unchunk(body);
            }
            return new Reply(Integer.parseInt(lines[0].split(" ")[1]), headers, body);
        }

        private static String unchunk(String chunked) {
            StringBuilder body = new StringBuilder();
            int at = 0;
            while (true) {
                int lineEnd = chunked.indexOf("\r\n", at);
                int size = Integer.parseInt(chunked.substring(at, lineEnd).trim(), 16);
                if (size == 0) {
                    return body.toString();
                }
                body.append(chunked, lineEnd + 2, lineEnd + 2 + size);
                at = lineEnd + 2 + size + 2;
            }
        }
    }
}
