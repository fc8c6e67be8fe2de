package io.clawmesh.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import io.clawmesh.agent.runtime.openai.OpenAiProvider;
import io.clawmesh.agent.runtime.zeroclaw.FakeZeroClaw;
import io.clawmesh.agent.runtime.zeroclaw.ZeroClawProvider;
import io.clawmesh.common.node.RuntimeInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** Which runtime the agent picks from flags, endpoints, detection and auto-install. */
@ExtendWith(OutputCaptureExtension.class)
class RuntimeSelectorTests {

    @TempDir
    Path dataDir;

    @TempDir
    Path home;

    private final FakeZeroClaw zeroclaw = FakeZeroClaw.start();

    /** What the stand-in OpenClaw provider was asked for. */
    private final List<String> openclawCalls = new ArrayList<>();

    private final AtomicInteger httpClientsBuilt = new AtomicInteger();

    private final List<RuntimeSelector.Installer> installers = new ArrayList<>();

    @AfterEach
    void stop() {
        this.zeroclaw.close();
    }

    @Test
    void noGatewayShouldSelectEchoEvenWhenARuntimeIsForced() {
        AgentRuntime runtime = select(Map.of("no-gateway", "true", "runtime", "zeroclaw"));

        assertThat(runtime).isInstanceOf(EchoRuntime.class);
        assertThat(this.zeroclaw.webhookCalls).isEmpty();
    }

    @Test
    void forcedZeroClawShouldTalkToTheGivenEndpointEvenBeforeItIsUp() {
        this.zeroclaw.close();

        AgentRuntime runtime =
                select(Map.of("runtime", "ZeroClaw", "gateway-endpoint", "127.0.0.1:" + this.zeroclaw.port()));

        assertThat(runtime.info()).isEqualTo(new RuntimeInfo("zeroclaw", null, false));
    }

    @Test
    void forcedUnknownRuntimeShouldListTheKnownOnes() {
        assertThatIllegalStateException()
                .isThrownBy(() -> select(Map.of("runtime", "llama")))
                .withMessage("mesh.agent.runtime 'llama' is not one of openclaw, zeroclaw, openai (or echo)");
    }

    @Test
    void forcedOpenClawShouldUseTheOpenClawProvider() {
        AgentRuntime runtime = select(Map.of("runtime", "openclaw"));

        assertThat(runtime.info().kind()).isEqualTo("openclaw");
        assertThat(this.openclawCalls).containsExactly("create");
    }

    @Test
    void apiBaseShouldSelectTheOpenAiCompatibleRuntime() {
        AgentRuntime runtime = select(Map.of("api-base", "http://127.0.0.1:1/v1", "api-model", "m"));

        assertThat(runtime.info().kind()).isEqualTo("openai");
    }

    @Test
    void gatewayEndpointShouldSelectZeroClawWhenZeroClawAnswersThere() {
        AgentRuntime runtime = select(Map.of("gateway-endpoint", this.zeroclaw.url()));

        assertThat(runtime.info()).isEqualTo(new RuntimeInfo("zeroclaw", null, true));
        assertThat(this.openclawCalls).isEmpty();
    }

    @Test
    void gatewayEndpointShouldSelectOpenClawWhenNoZeroClawAnswersThere() {
        this.zeroclaw.close();

        AgentRuntime runtime = select(Map.of("gateway-endpoint", "127.0.0.1:" + this.zeroclaw.port()));

        assertThat(runtime.info().kind()).isEqualTo("openclaw");
    }

    @Test
    void detectionShouldFindZeroClawOnThePortOfItsConfigFile() throws Exception {
        Path config = Files.createDirectories(this.home.resolve(".zeroclaw")).resolve("config.toml");
        Files.writeString(
                config,
                "[provider]\nport = 1\n\n[gateway]\nhost = \"127.0.0.1\"\nport = " + this.zeroclaw.port() + "\n");

        AgentRuntime runtime = select(Map.of());

        assertThat(runtime.info()).isEqualTo(new RuntimeInfo("zeroclaw", null, true));
        assertThat(this.openclawCalls).containsExactly("detect");
        assertThat(this.httpClientsBuilt.get())
                .as("the HTTP client asked for once a port answers")
                .isPositive();
    }

    @Test
    void nothingFoundShouldRunEchoAndSayHowToGetOut(CapturedOutput output) {
        this.zeroclaw.close();

        AgentRuntime runtime = select(Map.of());

        assertThat(runtime).isInstanceOf(EchoRuntime.class);
        assertThat(this.httpClientsBuilt)
                .as("no HTTP client built when no port answers")
                .hasValue(0);
        assertThat(output.getOut())
                .contains("running in echo mode. Use --auto-install, --runtime or --gateway-endpoint to connect one.");
    }

    @Test
    void autoInstallWhenNothingIsFoundShouldInstallAndConnectAndStopItWithTheAgent() {
        AtomicBoolean stopped = new AtomicBoolean();
        this.installers.add((context) -> new RuntimeSelector.Installed(
                "zeroclaw", "127.0.0.1:" + this.zeroclaw.port(), null, () -> stopped.set(true)));

        RuntimeSelection selection = selection(Map.of("auto-install", "true"), Path.of("/nonexistent-home"));

        assertThat(selection.runtime().info()).isEqualTo(new RuntimeInfo("zeroclaw", null, true));
        selection.destroy();
        assertThat(stopped).isTrue();
    }

    private AgentRuntime select(Map<String, String> properties) {
        return selection(properties, this.home).runtime();
    }

    private RuntimeSelection selection(Map<String, String> properties, Path home) {
        RuntimeProvider openclaw = RuntimeProvider.of(
                "openclaw",
                (context) -> {
                    this.openclawCalls.add("create");
                    return new StubRuntime("openclaw");
                },
                (context) -> {
                    this.openclawCalls.add("detect");
                    return Optional.empty();
                });
        // with no home config, ZeroClaw is looked for on 42617, where nothing listens on a test machine
        ZeroClawProvider zeroclaw = new ZeroClawProvider(Map.of(), home);
        RuntimeSelector selector = new RuntimeSelector(
                List.of(openclaw, zeroclaw, new OpenAiProvider()),
                (context) -> this.installers.get(0).install(context));
        RuntimeContext context = new RuntimeContext(
                RuntimeFixtures.properties(properties),
                this.dataDir,
                () -> {
                    this.httpClientsBuilt.incrementAndGet();
                    return RuntimeFixtures.http();
                },
                Clock.systemUTC());
        return selector.select(context);
    }

    private record StubRuntime(String kind) implements AgentRuntime {

        @Override
        public RuntimeInfo info() {
            return new RuntimeInfo(this.kind, null, false);
        }

        @Override
        public String send(RuntimeRequest request) {
            throw new RuntimeFailureException(this.kind, "not connected");
        }
    }
}
