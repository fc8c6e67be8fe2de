package io.clawmesh.coordinator.seed;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A coordinator config full of secrets, and the agent's two seed-sync calls over real HTTP. */
final class SeedFixtures {

    static final String OPERATOR_TOKEN = "cmo_seed-operator-token-for-seed-tests";

    static final String JOIN_TOKEN = "cmj_seed-join-token-for-seed-tests";

    /** Every value a node must never receive unless the operator opts it in. */
    static final List<String> SECRETS = List.of(
            "sk-env-openai-LEAK1",
            "env-db-password-LEAK2",
            "sk-provider-openai-LEAK3",
            "sk-provider-anthropic-LEAK4",
            "skill-apikey-LEAK5",
            "hooks-token-LEAK6",
            "gateway-token-LEAK7",
            "nested-secret-LEAK8",
            "auth-profile-LEAK9",
            "bot-token-LEAK10");

    /**
     * Credentials under names without {@code apiKey}, {@code token}, {@code secret} or {@code password}: a provider's
     * {@code Authorization} and {@code Cookie} headers, a bare {@code key}, a private key, credentials, a password
     * spelled {@code passwd}.
     */
    static final List<String> OTHER_CREDENTIALS = List.of(
            "sk-header-LEAK11",
            "cookie-LEAK12",
            "search-key-LEAK13",
            "private-key-LEAK14",
            "credentials-LEAK15",
            "passwd-LEAK16");

    /** The coordinator's OpenClaw config, JSON5 as OpenClaw writes it, with a secret in every usual place. */
    static final String CONFIG = """
            {
              env: { OPENAI_API_KEY: 'sk-env-openai-LEAK1', vars: { DB_PASSWORD: 'env-db-password-LEAK2' } },
              gateway: { port: 18789, auth: { mode: 'token', token: 'gateway-token-LEAK7' } },
              channels: { telegram: { botToken: 'bot-token-LEAK10' } },
              auth: { profiles: { main: { key: 'auth-profile-LEAK9' } } },
              hooks: { enabled: true, token: 'hooks-token-LEAK6' },
              models: {
                mode: 'replace',
                providers: {
                  openai: { baseUrl: 'https://api.openai.example/v1', apiKey: 'sk-provider-openai-LEAK3',
                            models: [{ id: 'gpt', maxTokens: 4096, headers: { 'X-Client-Secret': 'nested-secret-LEAK8' } }] },
                  anthropic: { baseUrl: 'https://api.anthropic.example', API_KEY: 'sk-provider-anthropic-LEAK4' },
                  proxied: { baseUrl: 'https://llm.proxy.example/v1',
                             headers: { Authorization: 'Bearer sk-header-LEAK11', Cookie: 'session=cookie-LEAK12',
                                        'X-Team': 'research' } },
                },
              },
              skills: { entries: { weather: { enabled: true, apiKey: 'skill-apikey-LEAK5' },
                                   vault: { enabled: true, config: { privateKey: 'private-key-LEAK14',
                                            credentials: 'credentials-LEAK15', passwd: 'passwd-LEAK16' } } } },
              agents: { defaults: { model: { primary: 'openai/gpt' } } },
              tools: { profile: 'coding', web: { search: { provider: 'brave', key: 'search-key-LEAK13' } } },
            }
            """;

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static final Pattern TOKEN = Pattern.compile("\"token\"\\s*:\\s*\"([^\"]+)\"");

    private SeedFixtures() {}

    /** Registers a node with the join token, as an agent does, and returns its node token. */
    static String registerWithTheJoinToken(int port, String name) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/nodes/register"))
                        .header("Authorization", "Bearer " + JOIN_TOKEN)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"name\":\"" + name + "\",\"endpoint\":\"127.0.0.1:19121\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        Matcher token = TOKEN.matcher(response.body());
        assertThat(token.find()).as(response.body()).isTrue();
        return token.group(1);
    }

    /** {@code GET /api/v1/seed/config} with a node token, as the agent's seed sync does. */
    static HttpResponse<String> fetchConfig(int port, String nodeToken) throws IOException, InterruptedException {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/seed/config"))
                        .header("Authorization", "Bearer " + nodeToken)
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
