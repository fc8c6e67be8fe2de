package io.clawmesh.agent.runtime.openai;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Flow;
import org.junit.jupiter.api.Test;

class ResponseStopTests {

    private static final HttpResponse.ResponseInfo HEAD = new HttpResponse.ResponseInfo() {
        @Override
        public int statusCode() {
            return 200;
        }

        @Override
        public HttpHeaders headers() {
            return HttpHeaders.of(Map.of("Content-Type", List.of("text/event-stream")), (name, value) -> true);
        }

        @Override
        public HttpClient.Version version() {
            return HttpClient.Version.HTTP_1_1;
        }
    };

    @Test
    void aStopBeforeTheHeadArrivesShouldCancelTheBodyAsSoonAsItComes() {
        ResponseStop stop = new ResponseStop();
        stop.stop();

        HttpResponse.BodySubscriber<InputStream> body = stop.bodyHandler().apply(HEAD);
        RecordingSubscription subscription = new RecordingSubscription();
        body.onSubscribe(subscription);

        assertThat(subscription.canceled)
                .as("the stream closed on arrival cancels the body, which closes the connection: the server sees it")
                .isTrue();
        assertThat(subscription.requested).as("nothing read for a stopped run").isFalse();
    }

    @Test
    void aRunningExchangeShouldKeepItsBodyOpenUntilStopped() {
        ResponseStop stop = new ResponseStop();

        HttpResponse.BodySubscriber<InputStream> body = stop.bodyHandler().apply(HEAD);
        RecordingSubscription subscription = new RecordingSubscription();
        body.onSubscribe(subscription);

        assertThat(subscription.canceled).isFalse();
        stop.stop();
        assertThat(subscription.canceled)
                .as("a later stop closes the registered stream")
                .isTrue();
    }

    @Test
    void aStopAfterTheRunIsDoneShouldDoNothing() {
        ResponseStop stop = new ResponseStop();
        HttpResponse.BodySubscriber<InputStream> body = stop.bodyHandler().apply(HEAD);
        RecordingSubscription subscription = new RecordingSubscription();
        body.onSubscribe(subscription);
        stop.done();

        stop.stop();

        assertThat(subscription.canceled).isFalse();
    }

    private static final class RecordingSubscription implements Flow.Subscription {

        private volatile boolean canceled;

        private volatile boolean requested;

        @Override
        public void request(long n) {
            this.requested = true;
        }

        @Override
        public void cancel() {
            this.canceled = true;
        }
    }
}
