package io.clawmesh.coordinator.dashboard;

import org.apache.catalina.Container;
import org.apache.catalina.Context;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;

/** The HTTP sessions as the embedded Tomcat counts them, independent of anything the dashboard itself keeps. */
final class ContainerSessions {

    private ContainerSessions() {}

    static int active(WebServerApplicationContext context) {
        TomcatWebServer server = (TomcatWebServer) context.getWebServer();
        int sessions = 0;
        for (Container child : server.getTomcat().getHost().findChildren()) {
            sessions += ((Context) child).getManager().getActiveSessions();
        }
        return sessions;
    }
}
