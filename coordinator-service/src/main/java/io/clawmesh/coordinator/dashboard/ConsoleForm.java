package io.clawmesh.coordinator.dashboard;

import org.jspecify.annotations.Nullable;

/** The console form: a message, and the node to send it to (blank: routed by the rules). */
public class ConsoleForm {

    private String content = "";

    private String node = "";

    private String sessionKey = "";

    public String getContent() {
        return this.content;
    }

    public void setContent(@Nullable String content) {
        this.content = (content != null) ? content : "";
    }

    public String getNode() {
        return this.node;
    }

    public void setNode(@Nullable String node) {
        this.node = (node != null) ? node : "";
    }

    public String getSessionKey() {
        return this.sessionKey;
    }

    public void setSessionKey(@Nullable String sessionKey) {
        this.sessionKey = (sessionKey != null) ? sessionKey : "";
    }
}
