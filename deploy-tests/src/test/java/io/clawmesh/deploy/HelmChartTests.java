package io.clawmesh.deploy;

import static io.clawmesh.deploy.DeployFiles.at;
import static io.clawmesh.deploy.DeployFiles.list;
import static io.clawmesh.deploy.DeployFiles.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The chart rendered by a real {@code helm template} with the default and the production-like values
 * (helm/claw-mesh/ci/production-values.yaml), and the manifests checked: probes, security context, replicas and the
 * PostgreSQL rule, Secret use. Helm is the {@code HELM} environment variable, {@code helm} on the PATH, or the one
 * {@code scripts/fetch-helm} unpacked; skipped with that reason when there is none.
 */
class HelmChartTests {

    private static final String CHART = "helm/claw-mesh";

    private static final String PRODUCTION = CHART + "/ci/production-values.yaml";

    private static String helm;

    @BeforeAll
    static void findHelm() {
        helm = Optional.ofNullable(System.getenv("HELM"))
                .map(Path::of)
                .filter(Files::isExecutable)
                .or(() -> Commands.onPath("helm"))
                .or(() -> Optional.of(DeployFiles.root().resolve("target/tools/helm/helm"))
                        .filter(Files::isExecutable))
                .map(Path::toString)
                .orElse(null);
        assumeTrue(helm != null, "no helm: run scripts/fetch-helm (or install helm 3) to render and check the chart");
    }

    @Test
    void defaultValuesShouldRenderOneCoordinatorOnH2WithAGeneratedTokenSecret() {
        List<Map<String, Object>> manifests = render();

        assertThat(kinds(manifests))
                .containsExactlyInAnyOrder("Secret", "ConfigMap", "PersistentVolumeClaim", "Service", "Deployment");
        Map<String, Object> deployment = one(manifests, "Deployment");
        assertThat(at(deployment, "spec.replicas")).isEqualTo(1);
        assertThat(at(deployment, "spec.strategy.type"))
                .as("H2 is opened by one pod at a time")
                .isEqualTo("Recreate");
        Map<String, Object> secret = one(manifests, "Secret");
        assertThat(map(secret.get("data"))).containsOnlyKeys("operator-token", "join-token");
        Map<String, Object> container = container(deployment);
        assertThat(secretRefs(container))
                .containsExactly(
                        "CLAW_MESH_TOKEN=" + name(secret) + "/operator-token",
                        "CLAW_MESH_JOIN_TOKEN=" + name(secret) + "/join-token");
        assertThat(String.valueOf(container.get("env"))).doesNotContain("DATASOURCE");
    }

    @Test
    void everyPodShouldProbeTheActuatorAndRunNonRootReadOnlyWithAWritableTmp() {
        List<Map<String, Object>> manifests = render("-f", PRODUCTION);
        List<Map<String, Object>> workloads = manifests.stream()
                .filter((manifest) -> List.of("Deployment", "DaemonSet").contains(manifest.get("kind")))
                .toList();

        assertThat(workloads).hasSize(2);
        for (Map<String, Object> workload : workloads) {
            Map<String, Object> pod = map(at(workload, "spec.template.spec"));
            assertThat(at(pod, "securityContext.runAsNonRoot")).isEqualTo(true);
            assertThat(at(pod, "securityContext.runAsUser")).isEqualTo(10001);
            Map<String, Object> container = container(workload);
            assertThat(at(container, "startupProbe.httpGet.path")).isEqualTo("/actuator/health/liveness");
            assertThat(at(container, "livenessProbe.httpGet.path")).isEqualTo("/actuator/health/liveness");
            assertThat(at(container, "readinessProbe.httpGet.path")).isEqualTo("/actuator/health/readiness");
            assertThat(at(container, "securityContext.readOnlyRootFilesystem")).isEqualTo(true);
            assertThat(at(container, "securityContext.allowPrivilegeEscalation"))
                    .isEqualTo(false);
            assertThat(list(at(container, "securityContext.capabilities.drop"))).containsExactly("ALL");
            assertThat(at(container, "resources.limits.memory")).isNotNull();
            assertThat(list(container.get("volumeMounts")))
                    .anySatisfy(
                            (mount) -> assertThat(map(mount).get("mountPath")).isEqualTo("/tmp"));
            assertThat(list(pod.get("volumes")))
                    .anySatisfy((volume) ->
                            assertThat(map(volume)).containsEntry("name", "tmp").containsKey("emptyDir"));
        }
    }

    @Test
    void productionValuesShouldRunThreeCoordinatorsOnPostgresWithExistingSecrets() {
        List<Map<String, Object>> manifests = render("-f", PRODUCTION);

        assertThat(kinds(manifests))
                .as("tokens and password come from existing Secrets: the chart creates none")
                .doesNotContain("Secret")
                .contains("DaemonSet", "Ingress", "ServiceMonitor");
        Map<String, Object> deployment = one(manifests, "Deployment");
        assertThat(at(deployment, "spec.replicas")).isEqualTo(3);
        assertThat(at(deployment, "spec.strategy")).isNull();
        Map<String, Object> budget = one(manifests, "PodDisruptionBudget");
        assertThat(at(budget, "spec.maxUnavailable"))
                .as("a drain never takes every coordinator")
                .isEqualTo(1);
        assertThat(at(budget, "spec.selector.matchLabels")).isEqualTo(at(deployment, "spec.selector.matchLabels"));
        assertThat(String.valueOf(container(deployment).get("env")))
                .as("each pod is one replica, named after the pod")
                .contains("name=MESH_REPLICAS_ID, valueFrom={fieldRef={fieldPath=metadata.name}}");
        assertThat(String.valueOf(container(deployment).get("env")))
                .as("the other replicas relay to this pod's outbound agents at its own address")
                .contains(
                        "name=POD_IP, valueFrom={fieldRef={fieldPath=status.podIP}}",
                        "name=MESH_REPLICAS_RELAY_URL, value=http://$(POD_IP):9180");
        assertThat(secretRefs(container(deployment)))
                .containsExactly(
                        "CLAW_MESH_TOKEN=claw-mesh-tokens/operator-token",
                        "CLAW_MESH_JOIN_TOKEN=claw-mesh-tokens/join-token",
                        "SPRING_DATASOURCE_PASSWORD=claw-mesh-db/postgres-password");
        assertThat(secretRefs(container(one(manifests, "DaemonSet"))))
                .containsExactly("CLAW_MESH_TOKEN=claw-mesh-tokens/join-token");
        String config = (String) map(one(manifests, "ConfigMap").get("data")).get("application.yaml");
        assertThat(DeployFiles.yaml(config))
                .extracting((yaml) -> at(yaml, "spring.datasource.url"))
                .isEqualTo("jdbc:postgresql://postgres.databases.svc:5432/clawmesh");
        assertThat(list(at(one(manifests, "ServiceMonitor"), "spec.endpoints")))
                .extracting((endpoint) -> map(endpoint).get("port"))
                .containsExactly("management", "agent-http");
        assertThat(String.valueOf(at(one(manifests, "Ingress"), "spec.rules")))
                .contains("name=http")
                .doesNotContain("management");
    }

    @Test
    void moreThanOneReplicaWithoutPostgresShouldFailWithAClearMessage() {
        Commands.Result result = helm("template", "t", CHART, "--set", "coordinator.replicas=2");

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.err())
                .contains("coordinator.replicas is 2, but more than one coordinator needs a shared PostgreSQL")
                .contains("set database.url");
    }

    @Test
    void tlsWithTheMeshCaShouldServeHttpsForTheServiceNamesAndPinTheAgentsToTheCa() {
        String fingerprint = "sha256:" + "ab".repeat(32);
        List<Map<String, Object>> manifests = render(
                "--set", "tls.enabled=true",
                "--set", "tls.hostnames[0]=mesh.example.com",
                "--set", "agent.enabled=true",
                "--set", "agent.caFingerprint=" + fingerprint,
                "--set", "serviceMonitor.enabled=true");

        Map<String, Object> config = DeployFiles.yaml(
                (String) map(one(manifests, "ConfigMap").get("data")).get("application.yaml"));
        assertThat(at(config, "mesh.tls.enabled")).isEqualTo(true);
        assertThat(at(config, "mesh.tls.cert-file"))
                .as("the mesh CA, no own files")
                .isNull();
        assertThat(list(at(config, "mesh.tls.hostnames")))
                .contains("t-claw-mesh-coordinator", "t-claw-mesh-coordinator.default.svc", "mesh.example.com");
        assertThat(at(config, "management.server.ssl.enabled"))
                .as("the kubelet probes the actuator port over plain HTTP")
                .isEqualTo(false);
        Map<String, Object> deployment = one(manifests, "Deployment");
        assertThat(list(at(deployment, "spec.template.spec.volumes")))
                .as("the CA's key stays on the claim")
                .anySatisfy((volume) -> assertThat(at(map(volume), "persistentVolumeClaim.claimName"))
                        .isEqualTo("t-claw-mesh-coordinator-data"));
        assertThat(at(container(deployment), "livenessProbe.httpGet.port")).isEqualTo("management");
        Map<String, Object> agent = container(one(manifests, "DaemonSet"));
        assertThat(env(agent))
                .containsEntry("MESH_AGENT_COORDINATOR_URL", "https://t-claw-mesh-coordinator:9180")
                .containsEntry("MESH_AGENT_CA_FINGERPRINT", fingerprint)
                .doesNotContainKey("MESH_AGENT_MUTUAL_TLS");
        assertThat(at(agent, "livenessProbe.tcpSocket.port"))
                .as("the agent's port speaks only mutual TLS")
                .isEqualTo("agent-http");
        assertThat(at(agent, "livenessProbe.httpGet")).isNull();
        assertThat(list(at(one(manifests, "ServiceMonitor"), "spec.endpoints")))
                .extracting((endpoint) -> map(endpoint).get("port"))
                .containsExactly("management");
    }

    @Test
    void tlsWithOwnCertificatesShouldMountTheSecretAndGiveAgentsOnlyItsCaCertificate() {
        List<Map<String, Object>> manifests =
                render("-f", PRODUCTION, "--set", "tls.enabled=true", "--set", "tls.existingSecret=claw-mesh-tls");

        Map<String, Object> config = DeployFiles.yaml(
                (String) map(one(manifests, "ConfigMap").get("data")).get("application.yaml"));
        assertThat(at(config, "mesh.tls.cert-file")).isEqualTo("/etc/claw-mesh-tls/tls.crt");
        assertThat(at(config, "mesh.tls.key-file")).isEqualTo("/etc/claw-mesh-tls/tls.key");
        assertThat(at(config, "mesh.tls.ca-file")).isEqualTo("/etc/claw-mesh-tls/ca.crt");
        Map<String, Object> deployment = one(manifests, "Deployment");
        assertThat(at(deployment, "spec.replicas"))
                .as("own certificates work for every replica")
                .isEqualTo(3);
        assertThat(list(at(deployment, "spec.template.spec.volumes")))
                .anySatisfy((volume) ->
                        assertThat(at(map(volume), "secret.secretName")).isEqualTo("claw-mesh-tls"));
        assertThat(list(container(deployment).get("volumeMounts")))
                .anySatisfy((mount) -> assertThat(map(mount))
                        .containsEntry("mountPath", "/etc/claw-mesh-tls")
                        .containsEntry("readOnly", true));
        Map<String, Object> daemonSet = one(manifests, "DaemonSet");
        assertThat(list(at(daemonSet, "spec.template.spec.volumes")))
                .filteredOn((volume) -> at(map(volume), "secret") != null)
                .singleElement()
                .satisfies((volume) -> assertThat(list(at(map(volume), "secret.items")))
                        .as("the coordinator's key is not mounted into agents")
                        .containsExactly(Map.of("key", "ca.crt", "path", "ca.crt")));
        assertThat(env(container(daemonSet)))
                .containsEntry("MESH_AGENT_COORDINATOR_URL", "https://t-claw-mesh-coordinator:9180")
                .containsEntry("MESH_AGENT_CA_FILE", "/etc/claw-mesh-tls/ca.crt")
                .containsEntry("MESH_AGENT_MUTUAL_TLS", "off");
        assertThat(at(container(daemonSet), "livenessProbe.httpGet.path")).isEqualTo("/actuator/health/liveness");
    }

    @Test
    void tlsWithOwnCertificatesAndTheCaKeyShouldMountTheKeyOnlyInTheCoordinatorAndGiveAgentsMutualTls() {
        List<Map<String, Object>> manifests = render(
                "-f",
                PRODUCTION,
                "--set",
                "tls.enabled=true",
                "--set",
                "tls.existingSecret=claw-mesh-tls",
                "--set",
                "tls.caKeySecret=claw-mesh-ca-key");

        Map<String, Object> config = DeployFiles.yaml(
                (String) map(one(manifests, "ConfigMap").get("data")).get("application.yaml"));
        assertThat(at(config, "mesh.tls.ca-file")).isEqualTo("/etc/claw-mesh-tls/ca.crt");
        assertThat(at(config, "mesh.tls.ca-key-file")).isEqualTo("/etc/claw-mesh-tls-ca/ca.key");
        Map<String, Object> deployment = one(manifests, "Deployment");
        assertThat(list(at(deployment, "spec.template.spec.volumes")))
                .filteredOn((volume) -> "claw-mesh-ca-key".equals(at(map(volume), "secret.secretName")))
                .singleElement()
                .satisfies((volume) -> {
                    assertThat(list(at(map(volume), "secret.items")))
                            .containsExactly(Map.of("key", "ca.key", "path", "ca.key"));
                    assertThat(at(map(volume), "secret.defaultMode"))
                            .as("0440: readable through the pod's fsGroup, not by others")
                            .isEqualTo(0440);
                });
        assertThat(list(container(deployment).get("volumeMounts")))
                .anySatisfy((mount) -> assertThat(map(mount))
                        .containsEntry("mountPath", "/etc/claw-mesh-tls-ca")
                        .containsEntry("readOnly", true));
        Map<String, Object> daemonSet = one(manifests, "DaemonSet");
        assertThat(list(at(daemonSet, "spec.template.spec.volumes")))
                .as("agents never mount the CA's key")
                .noneSatisfy((volume) ->
                        assertThat(at(map(volume), "secret.secretName")).isEqualTo("claw-mesh-ca-key"));
        assertThat(env(container(daemonSet)))
                .containsEntry("MESH_AGENT_CA_FILE", "/etc/claw-mesh-tls/ca.crt")
                .doesNotContainKey("MESH_AGENT_MUTUAL_TLS");
        assertThat(at(container(daemonSet), "livenessProbe.tcpSocket.port"))
                .as("the agent's port speaks only mutual TLS")
                .isEqualTo("agent-http");
    }

    @Test
    void tlsSettingsThatCannotWorkShouldFailWithAClearMessage() {
        Commands.Result caKeyWithoutOwnCertificates =
                helm("template", "t", CHART, "--set", "tls.enabled=true", "--set", "tls.caKeySecret=x");
        assertThat(caKeyWithoutOwnCertificates.exitCode()).isNotZero();
        assertThat(caKeyWithoutOwnCertificates.err()).contains("set tls.existingSecret too");
        Commands.Result meshCaOnPostgres = helm("template", "t", CHART, "-f", PRODUCTION, "--set", "tls.enabled=true");
        Commands.Result unpinnedAgents =
                helm("template", "t", CHART, "--set", "tls.enabled=true", "--set", "agent.enabled=true");
        Commands.Result secretWithoutTls = helm("template", "t", CHART, "--set", "tls.existingSecret=x");
        Commands.Result badFingerprint = helm("template", "t", CHART, "--set", "agent.caFingerprint=abc");

        assertThat(meshCaOnPostgres.exitCode()).isNotZero();
        assertThat(meshCaOnPostgres.err()).contains("own CA").contains("tls.existingSecret");
        assertThat(unpinnedAgents.exitCode()).isNotZero();
        assertThat(unpinnedAgents.err()).contains("set agent.caFingerprint");
        assertThat(secretWithoutTls.exitCode()).isNotZero();
        assertThat(secretWithoutTls.err()).contains("set tls.enabled=true");
        assertThat(badFingerprint.exitCode()).isNotZero();
        assertThat(badFingerprint.err()).contains("caFingerprint");
    }

    @Test
    void valuesOfTheWrongTypeShouldBeRefusedByTheSchema() {
        Commands.Result result = helm("template", "t", CHART, "--set", "coordinator.replicas=many");

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.err()).contains("coordinator.replicas").contains("Expected: integer");
        assertThat(helm("template", "t", CHART, "--set", "database.url=jdbc:mysql://db/x")
                        .err())
                .contains("database.url");
        assertThat(helm("template", "t", CHART, "--set", "coordinator.unknown=1")
                        .err())
                .contains("unknown");
    }

    @Test
    void lintShouldPassWithDefaultAndProductionValues() {
        Commands.Result defaults = helm("lint", "--strict", CHART);
        Commands.Result production = helm("lint", "--strict", CHART, "-f", PRODUCTION);

        assertThat(defaults.exitCode()).as(defaults.out() + defaults.err()).isZero();
        assertThat(production.exitCode())
                .as(production.out() + production.err())
                .isZero();
    }

    private static List<Map<String, Object>> render(String... extra) {
        List<String> arguments = new ArrayList<>(List.of("template", "t", CHART));
        arguments.addAll(List.of(extra));
        Commands.Result result = helm(arguments.toArray(String[]::new));
        assertThat(result.exitCode()).as(result.err()).isZero();
        return DeployFiles.documents(result.out());
    }

    private static Commands.Result helm(String... arguments) {
        List<String> command = new ArrayList<>(List.of(helm));
        command.addAll(List.of(arguments));
        return Commands.run(DeployFiles.root(), command);
    }

    private static List<Object> kinds(List<Map<String, Object>> manifests) {
        return manifests.stream().map((manifest) -> manifest.get("kind")).toList();
    }

    private static Map<String, Object> one(List<Map<String, Object>> manifests, String kind) {
        List<Map<String, Object>> found = manifests.stream()
                .filter((manifest) -> kind.equals(manifest.get("kind")))
                .toList();
        assertThat(found).as(kind).hasSize(1);
        return found.get(0);
    }

    private static String name(Map<String, Object> manifest) {
        return (String) at(manifest, "metadata.name");
    }

    private static Map<String, Object> container(Map<String, Object> workload) {
        return map(list(at(workload, "spec.template.spec.containers")).get(0));
    }

    /** The container's plain environment variables, by name. */
    private static Map<String, Object> env(Map<String, Object> container) {
        Map<String, Object> variables = new java.util.LinkedHashMap<>();
        list(container.get("env")).stream()
                .map(DeployFiles::map)
                .filter((variable) -> variable.containsKey("value"))
                .forEach((variable) -> variables.put((String) variable.get("name"), variable.get("value")));
        return variables;
    }

    /** "VARIABLE=secret/key" for every variable read from a Secret. */
    private static List<String> secretRefs(Map<String, Object> container) {
        return list(container.get("env")).stream()
                .map(DeployFiles::map)
                .filter((env) -> at(env, "valueFrom.secretKeyRef") != null)
                .map((env) -> env.get("name") + "=" + at(env, "valueFrom.secretKeyRef.name") + "/"
                        + at(env, "valueFrom.secretKeyRef.key"))
                .toList();
    }
}
