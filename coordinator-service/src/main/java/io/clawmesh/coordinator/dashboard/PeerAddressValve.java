package io.clawmesh.coordinator.dashboard;

import jakarta.servlet.ServletException;
import java.io.IOException;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;

/**
 * Keeps the TCP peer's address in a request attribute. With {@code server.forward-headers-strategy=native} Tomcat's
 * remote-IP valve replaces the remote address by whatever {@code X-Forwarded-For} says when the peer is in its broad
 * default list of internal proxies; the login throttle must decide that itself ({@link ClientAddress}).
 */
class PeerAddressValve extends ValveBase {

    static final String ATTRIBUTE = PeerAddressValve.class.getName() + ".peer";

    PeerAddressValve() {
        super(true);
    }

    @Override
    public void invoke(Request request, Response response) throws IOException, ServletException {
        request.setAttribute(ATTRIBUTE, request.getPeerAddr());
        getNext().invoke(request, response);
    }
}
