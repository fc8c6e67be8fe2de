package io.clawmesh.coordinator.openai;

import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;
import java.lang.reflect.Field;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.RequestFacade;
import org.apache.coyote.ActionCode;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells whether the client of a request that is still being served has closed its connection, without writing to
 * it. The servlet API has no way to ask: Tomcat does not watch the socket of a request it is serving, so a client
 * that leaves is noticed only at the next write, and a plain chat completion writes nothing before its answer. This
 * asks Tomcat's connector for a non-blocking read on the socket once the request body has been read; the end of the
 * stream means the client has closed its side. Anything else, another servlet container included, answers "still
 * there", which is what the servlet API would have said (ADR 0015).
 * <p>
 * A client that pipelines its next request while waiting (no current client or browser does) looks as if it had
 * gone, since its bytes are there to read.
 */
final class ClientConnection {

    private static final Logger logger = LoggerFactory.getLogger(ClientConnection.class);

    private static final @Nullable Field FACADE_REQUEST = facadeRequest();

    private ClientConnection() {}

    /**
     * Whether the client has closed its connection; false when that cannot be told.
     *
     * @param request the request being served, its body read to the end
     */
    static boolean closed(ServletRequest request) {
        ServletRequest inner = request;
        while (inner instanceof ServletRequestWrapper wrapper) {
            inner = wrapper.getRequest();
        }
        if (FACADE_REQUEST == null || !(inner instanceof RequestFacade)) {
            return false;
        }
        try {
            org.apache.coyote.Request coyote = ((Request) FACADE_REQUEST.get(inner)).getCoyoteRequest();
            coyote.action(ActionCode.AVAILABLE, Boolean.TRUE);
            return coyote.getAvailable() > 0;
        } catch (ReflectiveOperationException | RuntimeException ex) {
            return false;
        }
    }

    private static @Nullable Field facadeRequest() {
        try {
            Field field = RequestFacade.class.getDeclaredField("request");
            field.setAccessible(true);
            return field;
        } catch (ReflectiveOperationException | RuntimeException ex) {
            logger.info(
                    "A client that leaves a plain chat completion cannot be noticed on this server ({})",
                    ex.toString());
            return null;
        }
    }
}
