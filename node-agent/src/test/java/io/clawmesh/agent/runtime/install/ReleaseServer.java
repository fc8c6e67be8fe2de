package io.clawmesh.agent.runtime.install;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPOutputStream;

/**
 * A release download server on 127.0.0.1, laid out like GitHub's {@code releases/download/<tag>/}: it serves the files
 * it is given (a tarball, {@code SHA256SUMS}) under any tag and 404 for anything else, and records every request as
 * {@code <tag>/<name>}. It speaks https with {@link TestTls}'s certificate, or plain http when asked.
 */
final class ReleaseServer implements AutoCloseable {

    private final HttpServer server;

    private final Map<String, byte[]> files = new ConcurrentHashMap<>();

    final List<String> requests = new CopyOnWriteArrayList<>();

    private final String scheme;

    /** An https server. */
    ReleaseServer() {
        this(true);
    }

    private ReleaseServer(boolean tls) {
        try {
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", 0);
            if (tls) {
                HttpsServer https = HttpsServer.create(address, 0);
                https.setHttpsConfigurator(new HttpsConfigurator(TestTls.server()));
                this.server = https;
            } else {
                this.server = HttpServer.create(address, 0);
            }
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        this.scheme = tls ? "https" : "http";
        this.server.createContext("/", (exchange) -> {
            try (exchange) {
                String path = exchange.getRequestURI().getPath().replaceFirst("^/download/", "");
                this.requests.add(path);
                byte[] body = this.files.get(path.substring(path.lastIndexOf('/') + 1));
                if (body == null) {
                    exchange.sendResponseHeaders(404, -1);
                    return;
                }
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
        });
        this.server.start();
    }

    /** The same server over plain http, as a mirror without TLS would be. */
    static ReleaseServer plainHttp() {
        return new ReleaseServer(false);
    }

    String url() {
        return this.scheme + "://127.0.0.1:" + this.server.getAddress().getPort() + "/download";
    }

    ReleaseServer serve(String name, byte[] body) {
        this.files.put(name, body);
        return this;
    }

    @Override
    public void close() {
        this.server.stop(0);
    }

    /** A {@code .tar.gz} (ustar) of the given entries, in order; a name ending in {@code /} is a directory. */
    static byte[] tarGz(Map<String, String> entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
            for (Map.Entry<String, String> entry : entries.entrySet()) {
                byte[] content = entry.getValue().getBytes(StandardCharsets.UTF_8);
                boolean dir = entry.getKey().endsWith("/");
                gzip.write(header(entry.getKey(), dir ? 0 : content.length, dir ? '5' : '0'));
                if (!dir) {
                    gzip.write(content);
                    gzip.write(new byte[(512 - content.length % 512) % 512]);
                }
            }
            gzip.write(new byte[1024]);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return bytes.toByteArray();
    }

    static Map<String, String> entries(Object... nameThenContent) {
        Map<String, String> entries = new LinkedHashMap<>();
        for (int i = 0; i < nameThenContent.length; i += 2) {
            entries.put((String) nameThenContent[i], (String) nameThenContent[i + 1]);
        }
        return entries;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static byte[] header(String name, int size, char type) {
        byte[] header = new byte[512];
        put(header, 0, name);
        put(header, 100, "0000755");
        put(header, 108, "0000000");
        put(header, 116, "0000000");
        put(header, 124, "%011o".formatted(size));
        put(header, 136, "%011o".formatted(0));
        header[156] = (byte) type;
        put(header, 257, "ustar");
        put(header, 263, "00");
        for (int i = 148; i < 156; i++) {
            header[i] = ' ';
        }
        int sum = 0;
        for (byte b : header) {
            sum += b & 0xff;
        }
        put(header, 148, "%06o".formatted(sum));
        header[155] = ' ';
        return header;
    }

    private static void put(byte[] header, int offset, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(bytes, 0, header, offset, bytes.length);
    }
}
