package io.clawmesh.agent.runtime;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import org.jspecify.annotations.Nullable;

/**
 * The server side of one WebSocket (RFC 6455) on a plain socket, as much as the fake gateway needs: the upgrade
 * answer, text frames in both directions (with continuation), ping/pong, and close frames with a code and reason.
 * Written here because the JDK has a WebSocket client but no server, and a hand-made server can also misbehave on
 * purpose (drop the TCP connection mid-run, close with 1008/1002, stay silent). The fake OpenClaw gateway and the fake
 * ZeroClaw use it.
 */
public final class ServerWebSocket {

    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private final Socket socket;

    private final InputStream in;

    private final OutputStream out;

    /** Answers the upgrade of the request whose {@code Sec-WebSocket-Key} is {@code key}. */
    public ServerWebSocket(Socket socket, InputStream in, String key) throws IOException {
        this(socket, in, key, null);
    }

    /** Answers the upgrade, selecting {@code subprotocol} when it is not {@code null}. */
    public ServerWebSocket(Socket socket, InputStream in, String key, @Nullable String subprotocol) throws IOException {
        this.socket = socket;
        this.in = in;
        this.out = socket.getOutputStream();
        String accept = accept(key);
        this.out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Accept: " + accept + "\r\n"
                        + ((subprotocol != null) ? "Sec-WebSocket-Protocol: " + subprotocol + "\r\n" : "")
                        + "\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        this.out.flush();
    }

    /** The next text message; {@code null} when the client closed or the connection ended. */
    @Nullable
    public String readText() throws IOException {
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        while (true) {
            int first = this.in.read();
            int second = this.in.read();
            if (first < 0 || second < 0) {
                return null;
            }
            boolean fin = (first & 0x80) != 0;
            int opcode = first & 0x0F;
            long length = second & 0x7F;
            if (length == 126) {
                length = ((long) this.in.read() << 8) | this.in.read();
            } else if (length == 127) {
                length = ByteBuffer.wrap(this.in.readNBytes(8)).getLong();
            }
            byte[] mask = ((second & 0x80) != 0) ? this.in.readNBytes(4) : new byte[4];
            byte[] payload = this.in.readNBytes((int) length);
            for (int i = 0; i < payload.length; i++) {
                payload[i] ^= mask[i % 4];
            }
            switch (opcode) {
                case 0x8 -> {
                    sendFrame(0x8, payload);
                    return null;
                }
                case 0x9 -> sendFrame(0xA, payload);
                case 0xA -> {
                    // pong: nothing to do
                }
                default -> {
                    message.write(payload);
                    if (fin) {
                        return message.toString(StandardCharsets.UTF_8);
                    }
                }
            }
        }
    }

    public void sendText(String text) throws IOException {
        sendFrame(0x1, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends a close frame with {@code code} and {@code reason}, then ends the TCP connection as the gateway does. */
    public void close(int code, String reason) {
        byte[] text = reason.getBytes(StandardCharsets.UTF_8);
        ByteBuffer payload =
                ByteBuffer.allocate(2 + text.length).putShort((short) code).put(text);
        try {
            sendFrame(0x8, payload.array());
            Thread.sleep(100);
        } catch (IOException ex) {
            // already gone
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        drop();
    }

    /** Ends the TCP connection without a close frame, like a killed process. */
    public void drop() {
        try {
            this.socket.close();
        } catch (IOException ex) {
            // already closed
        }
    }

    private synchronized void sendFrame(int opcode, byte[] payload) throws IOException {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(0x80 | opcode);
        if (payload.length < 126) {
            frame.write(payload.length);
        } else if (payload.length <= 0xFFFF) {
            frame.write(126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length & 0xFF);
        } else {
            frame.write(127);
            frame.write(ByteBuffer.allocate(8).putLong(payload.length).array());
        }
        frame.write(payload);
        this.out.write(frame.toByteArray());
        this.out.flush();
    }

    private static String accept(String key) {
        try {
            byte[] sha1 = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(sha1);
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
