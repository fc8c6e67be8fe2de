package io.clawmesh.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Forwards TCP connections accepted on one local address to another, byte for byte in both directions: lets a process
 * in a network namespace reach a server that listens on the host's loopback only (PostgreSQL at 127.0.0.1:5432).
 * {@link #close()} stops accepting and closes every connection it forwarded.
 */
final class TcpForwarder implements AutoCloseable {

    private final ServerSocket server;

    private final InetSocketAddress target;

    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    private TcpForwarder(ServerSocket server, InetSocketAddress target) {
        this.server = server;
        this.target = target;
    }

    /** Listens on a free port of {@code bindAddress} and forwards to {@code target}. */
    static TcpForwarder start(String bindAddress, InetSocketAddress target) throws IOException {
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getByName(bindAddress));
        TcpForwarder forwarder = new TcpForwarder(server, target);
        Thread.ofVirtual().name("tcp-forwarder-accept").start(forwarder::accept);
        return forwarder;
    }

    int port() {
        return this.server.getLocalPort();
    }

    private void accept() {
        while (!this.server.isClosed()) {
            try {
                Socket client = this.server.accept();
                this.sockets.add(client);
                Socket upstream = new Socket();
                this.sockets.add(upstream);
                try {
                    upstream.connect(this.target, 5000);
                } catch (IOException ex) {
                    closeQuietly(client);
                    closeQuietly(upstream);
                    continue;
                }
                Thread.ofVirtual().start(() -> pump(client, upstream));
                Thread.ofVirtual().start(() -> pump(upstream, client));
            } catch (IOException ex) {
                // closed: stop accepting
            }
        }
    }

    private static void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream()) {
            int read;
            while ((read = in.read(buffer)) >= 0) {
                out.write(buffer, 0, read);
                out.flush();
            }
        } catch (SocketException ex) {
            // one side closed
        } catch (IOException ex) {
            // one side failed
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ex) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        this.server.close();
        for (Socket socket : this.sockets) {
            closeQuietly(socket);
        }
    }
}
