package io.clawmesh.common.tls;

import java.net.http.HttpClient;
import java.security.GeneralSecurityException;
import java.security.KeyManagementException;
import java.security.SecureRandom;
import java.util.function.Supplier;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import org.jspecify.annotations.Nullable;
import org.springframework.util.function.SingletonSupplier;

/**
 * TLS contexts built at their first TLS connection instead of when a client is built. The JDK's default context parses
 * the JDK's {@code cacerts} (about 150 certificates: a megabyte or more of heap that stays, and a few hundred classes),
 * and a JDK {@link HttpClient} or Apache HttpClient builds it as soon as the client is built, even when every
 * connection it will ever open is plain HTTP: the coordinator towards plain-HTTP agents, a CLI verb towards a
 * coordinator on {@code http://}.
 */
public final class LazyTls {

    private static final SSLContext DEFAULT = lazy(() -> {
        try {
            return SSLContext.getDefault();
        } catch (GeneralSecurityException ex) {
            throw new IllegalStateException("The JDK has no default TLS context: " + ex.getMessage(), ex);
        }
    });

    private LazyTls() {}

    /** The JDK's default context ({@link SSLContext#getDefault()}), built at its first use. */
    public static SSLContext defaultContext() {
        return DEFAULT;
    }

    /** A context that {@code factory} builds at its first use, once; it then acts exactly as the built one. */
    public static SSLContext lazy(Supplier<SSLContext> factory) {
        return new LazyContext(new LazySpi(SingletonSupplier.of(factory)));
    }

    /** Whether {@code context} is one of this class's and has been built by a use. */
    public static boolean isBuilt(SSLContext context) {
        return (context instanceof LazyContext lazy) && lazy.spi.built;
    }

    /**
     * Sets {@code context} on a JDK client. A JDK client asks its context for the default parameters when it is built,
     * which would build a lazy context at once; for a lazy one it gets empty parameters instead, which leave the
     * context's own defaults (protocols, cipher suites) in place on every connection, as the default parameters do.
     */
    public static HttpClient.Builder configure(HttpClient.Builder builder, SSLContext context) {
        builder.sslContext(context);
        return (context instanceof LazyContext) ? builder.sslParameters(new SSLParameters()) : builder;
    }

    /** The JDK's default context on a JDK client, built at its first https connection. */
    public static HttpClient.Builder configureDefault(HttpClient.Builder builder) {
        return configure(builder, DEFAULT);
    }

    private static final class LazyContext extends SSLContext {

        private final LazySpi spi;

        LazyContext(LazySpi spi) {
            // no provider until built: nothing the clients do asks for it
            super(spi, null, "TLS");
            this.spi = spi;
        }
    }

    private static final class LazySpi extends SSLContextSpi {

        /** Builds the context once (a {@link SingletonSupplier}). */
        private final Supplier<SSLContext> context;

        private volatile boolean built;

        LazySpi(Supplier<SSLContext> context) {
            this.context = context;
        }

        private SSLContext delegate() {
            SSLContext built = this.context.get();
            this.built = true;
            return built;
        }

        @Override
        protected void engineInit(
                KeyManager @Nullable [] keys, TrustManager @Nullable [] trust, @Nullable SecureRandom random)
                throws KeyManagementException {
            throw new KeyManagementException("already initialised: the built context's keys and trust are used");
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            return delegate().getSocketFactory();
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            return delegate().getServerSocketFactory();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            return delegate().createSSLEngine();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(@Nullable String host, int port) {
            return delegate().createSSLEngine(host, port);
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            return delegate().getServerSessionContext();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            return delegate().getClientSessionContext();
        }

        @Override
        protected SSLParameters engineGetDefaultSSLParameters() {
            return delegate().getDefaultSSLParameters();
        }

        @Override
        protected SSLParameters engineGetSupportedSSLParameters() {
            return delegate().getSupportedSSLParameters();
        }
    }
}
