package io.clawmesh.coordinator.tls;

import java.util.function.Supplier;
import org.apache.hc.client5.http.cookie.CookieSpecFactory;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.client5.http.ssl.TlsSocketStrategy;
import org.apache.hc.core5.http.config.Lookup;
import org.apache.hc.core5.http.config.RegistryBuilder;
import org.springframework.util.function.SingletonSupplier;

/**
 * What Apache HttpClient builds by default when a client is built, built here only when used. Its default TLS parses
 * the JDK's {@code cacerts} into a context of its own for each connection pool and loads the public suffix list for its
 * host name verifier, and its default cookie specifications load that list as well even when cookie management is
 * off: heap that stays for the life of the process although, without the mesh CA, agents are reached over plain HTTP
 * and no client of the coordinator keeps cookies.
 */
public final class ApacheClientDefaults {

    private static final Supplier<TlsSocketStrategy> STRATEGY =
            SingletonSupplier.of(DefaultClientTlsStrategy::createDefault);

    private static final TlsSocketStrategy LAZY = (socket, target, port, attachment, context) ->
            STRATEGY.get().upgrade(socket, target, port, attachment, context);

    private ApacheClientDefaults() {}

    /**
     * The default TLS (the JDK's trust store, host names verified), built at its first upgrade and then shared by
     * every pool that uses it.
     */
    public static TlsSocketStrategy tlsSocketStrategy() {
        return LAZY;
    }

    /**
     * No cookie specifications, for a client with cookie management disabled: without them, building the client
     * builds the default ones, and they load the public suffix list.
     */
    public static Lookup<CookieSpecFactory> noCookieSpecs() {
        return RegistryBuilder.<CookieSpecFactory>create().build();
    }
}
