package io.clawmesh.coordinator.events;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the live event stream ({@code mesh.events.*}).
 *
 * @param bufferSize how many recent events are kept for {@code Last-Event-ID} replay and the activity log
 * @param keepAlive how often an idle stream gets a keep-alive comment, so proxies keep it open and dead clients are
 *     noticed
 * @param subscriberQueue how many events may wait for one slow client before it is disconnected (it reconnects and
 *     replays from its last event id)
 * @param maxSubscribers how many streams may be open at once; more are refused with 503
 * @param includeContent whether message events carry the message content (off: content stays private)
 */
@ConfigurationProperties("mesh.events")
public record EventStreamProperties(
        @DefaultValue("1000") int bufferSize,
        @DefaultValue("15s") Duration keepAlive,
        @DefaultValue("1000") int subscriberQueue,
        @DefaultValue("100") int maxSubscribers,
        @DefaultValue("false") boolean includeContent) {}
