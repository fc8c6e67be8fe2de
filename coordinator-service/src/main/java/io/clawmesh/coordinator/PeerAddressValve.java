package io.clawmesh.coordinator;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;

/**
 * Keeps the TCP peer's address in a request attribute. With {@code server.forward-headers-strategy=native} (Boot's
 * default on Kubernetes) Tomcat's remote-IP valve replaces the remote address by whatever {@code X-Forwarded-For} says
 * when the peer is in its broad default list of internal proxies; what counts per address (the dashboard's login
 * throttle, the join token's registration limit) must decide itself whom to believe, so it reads {@link #of}.
 */
public class PeerAddressValve extends ValveBase {

    /** The request attribute holding the TCP peer's address. */
    public static final String ATTRIBUTE = PeerAddressValve.class.getName() + ".peer";

    public PeerAddressValve() {
        super(true);
    }

    /** The TCP peer of {@code request}; its remote address where the valve did not run (a mock request). */
    public static String of(HttpServletRequest request) {
        return (request.getAttribute(ATTRIBUTE) instanceof String address) ? address : request.getRemoteAddr();
    }

    @Override
    public void invoke(Request request, Response response) throws IOException, ServletException {
        request.setAttribute(ATTRIBUTE, request.getPeerAddr());
        getNext().invoke(request, response);
    }
}
