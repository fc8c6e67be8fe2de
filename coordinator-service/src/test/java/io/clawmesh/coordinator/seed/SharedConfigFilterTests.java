package io.clawmesh.coordinator.seed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.core.json.JsonReadFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.IntNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

/** What of an OpenClaw config may leave the coordinator, key by key. */
class SharedConfigFilterTests {

    private static final JsonMapper JSON5 = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_UNQUOTED_PROPERTY_NAMES)
            .enable(JsonReadFeature.ALLOW_SINGLE_QUOTES)
            .enable(JsonReadFeature.ALLOW_TRAILING_COMMA)
            .build();

    @Test
    void filterShouldKeepOnlyTheAllowListedSectionsWithoutSecrets() {
        String shared = filter(List.of(), SeedFixtures.CONFIG);

        assertThat(shared).doesNotContain(SeedFixtures.SECRETS);
        assertThat(shared).isEqualTo(JSON5.readTree("""
                { models: { mode: 'replace', providers: {
                    openai: { baseUrl: 'https://api.openai.example/v1', models: [{ id: 'gpt', maxTokens: 4096, headers: {} }] },
                    anthropic: { baseUrl: 'https://api.anthropic.example' },
                    proxied: { baseUrl: 'https://llm.proxy.example/v1', headers: { 'X-Team': 'research' } } } },
                  skills: { entries: { weather: { enabled: true }, vault: { enabled: true, config: {} } } },
                  agents: { defaults: { model: { primary: 'openai/gpt' } } },
                  tools: { profile: 'coding', web: { search: { provider: 'brave' } } } }
                """).toString());
    }

    @Test
    void filterWhenAKeyUnderEnvIsOptedInShouldShareThatKeyAndNothingElseOfEnv() {
        String shared = filter(List.of("env.OPENAI_API_KEY", "skills.entries.weather.apiKey"), SeedFixtures.CONFIG);

        assertThat(JSON5.readTree(shared).get("env").toString())
                .isEqualTo("{\"OPENAI_API_KEY\":\"sk-env-openai-LEAK1\"}");
        assertThat(shared).contains("skill-apikey-LEAK5").doesNotContain("env-db-password-LEAK2", "hooks-token-LEAK6");
    }

    @Test
    void isSecretLookingShouldMatchAnyCaseAndSeparatorButNotTokenCounts() {
        StringNode text = StringNode.valueOf("x");
        assertThat(SharedConfigFilter.isSecretLooking("ENV", text)).isTrue();
        assertThat(SharedConfigFilter.isSecretLooking("api_key", text)).isTrue();
        assertThat(SharedConfigFilter.isSecretLooking("clientSecretRef", text)).isTrue();
        assertThat(SharedConfigFilter.isSecretLooking("botToken", text)).isTrue();
        assertThat(SharedConfigFilter.isSecretLooking("PASSWORD", text)).isTrue();
        assertThat(SharedConfigFilter.isSecretLooking("tokens", text)).isTrue();
        assertThat(SharedConfigFilter.isSecretLooking("maxTokens", IntNode.valueOf(4096)))
                .isFalse();
        assertThat(SharedConfigFilter.isSecretLooking("environment", text)).isFalse();
        assertThat(SharedConfigFilter.isSecretLooking("Authorization", text)).isTrue();
        assertThat(SharedConfigFilter.isSecretLooking("key", text)).isTrue();
        assertThat(SharedConfigFilter.isSecretLooking("secretAccessKey", text)).isTrue();
        assertThat(SharedConfigFilter.isSecretLooking("mainKey", text)).isFalse();
        assertThat(SharedConfigFilter.isSecretLooking("author", text)).isFalse();
    }

    @Test
    void propertiesWithAPathUnderANodeLocalKeyShouldStopTheStart() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new SeedSharingProperties(List.of("gateway.auth.token")))
                .withMessageContaining("'gateway.auth.token' is under 'gateway'");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new SeedSharingProperties(List.of("models..apiKey")))
                .withMessageContaining("not a dotted path");
    }

    private static String filter(List<String> optIns, String config) {
        ObjectNode object = (ObjectNode) JSON5.readTree(config);
        return new SharedConfigFilter(new SeedSharingProperties(optIns))
                .filter(object)
                .toString();
    }
}
