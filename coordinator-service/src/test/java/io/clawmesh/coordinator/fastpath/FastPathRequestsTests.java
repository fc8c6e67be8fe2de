package io.clawmesh.coordinator.fastpath;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The checks a fast path makes before it takes a request, with and without the shortcuts for the common headers. */
class FastPathRequestsTests {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "application/json|true",
                "Application/JSON|true",
                "application/json;charset=UTF-8|true",
                "application/json; charset=utf-8|true",
                "application/json;charset=ISO-8859-1|false",
                "application/json;charset=no-such-charset|false",
                "application/problem+json|false",
                "text/plain|false",
                "not a media type|false"
            })
    void isUtf8JsonShouldTakeOnlyJsonInUtf8(String contentType, boolean expected) {
        assertThat(FastPathRequests.isUtf8Json(contentType)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "*/*|true",
                "application/json|true",
                "APPLICATION/JSON|true",
                "application/*|true",
                "text/event-stream|false",
                "application/json, text/event-stream|false",
                "text/event-stream;q=0, application/json|true",
                "application/json;q=0|false",
                "text/html|false"
            })
    void acceptsJsonShouldRefuseStreamsAndOtherTypes(String accept, boolean expected) {
        assertThat(FastPathRequests.acceptsJson(accept)).isEqualTo(expected);
    }

    @org.junit.jupiter.api.Test
    void noHeadersShouldMeanNoBodyTypeButAnyAnswer() {
        assertThat(FastPathRequests.isUtf8Json(null)).isFalse();
        assertThat(FastPathRequests.acceptsJson(null)).isTrue();
        assertThat(FastPathRequests.acceptsJson("")).isTrue();
    }
}
