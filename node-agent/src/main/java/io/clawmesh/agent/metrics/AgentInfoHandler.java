package io.clawmesh.agent.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.clawmesh.agent.web.JsonResponses;
import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.info.BuildProperties;
import org.springframework.boot.info.GitProperties;

/**
 * {@code GET /actuator/info}: the application's name, version and build time, and the git branch and commit it was
 * built from, in the shape of Spring Boot's info endpoint ({@code management.info.git.mode=simple}). A build without
 * {@code .git} has no {@code git} part.
 */
final class AgentInfoHandler implements HttpHandler {

    private final Map<String, Object> info;

    private final JsonResponses responses;

    AgentInfoHandler(
            String application, @Nullable BuildProperties build, @Nullable GitProperties git, JsonResponses responses) {
        this.responses = responses;
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("app", Map.of("name", application));
        if (build != null) {
            Map<String, Object> buildInfo = new LinkedHashMap<>();
            putIfSet(buildInfo, "artifact", build.getArtifact());
            putIfSet(buildInfo, "name", build.getName());
            putIfSet(buildInfo, "version", build.getVersion());
            putIfSet(
                    buildInfo,
                    "time",
                    (build.getTime() != null) ? build.getTime().toString() : null);
            info.put("build", buildInfo);
        }
        if (git != null) {
            Map<String, Object> commit = new LinkedHashMap<>();
            putIfSet(commit, "id", git.getShortCommitId());
            putIfSet(
                    commit,
                    "time",
                    (git.getCommitTime() != null) ? git.getCommitTime().toString() : null);
            Map<String, Object> gitInfo = new LinkedHashMap<>();
            putIfSet(gitInfo, "branch", git.getBranch());
            gitInfo.put("commit", commit);
            info.put("git", gitInfo);
        }
        this.info = Collections.unmodifiableMap(info);
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        this.responses.send(exchange, 200, this.info);
    }

    private static void putIfSet(Map<String, Object> map, String key, @Nullable String value) {
        if (value != null) {
            map.put(key, value);
        }
    }
}
