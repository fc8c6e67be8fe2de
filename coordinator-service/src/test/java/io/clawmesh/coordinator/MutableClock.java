package io.clawmesh.coordinator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A fixed clock that a test moves forward by hand, so lease and cooldown tests never wait. */
public final class MutableClock extends Clock {

    /** Where every test clock starts: whole milliseconds, so it survives a round trip through any database. */
    public static final Instant START = Instant.parse("2026-11-23T23:00:00Z");

    private volatile Instant now;

    public MutableClock() {
        this(START);
    }

    public MutableClock(Instant now) {
        this.now = now;
    }

    /** Moves the clock forward and answers the new time. */
    public Instant advance(Duration duration) {
        this.now = this.now.plus(duration);
        return this.now;
    }

    @Override
    public Instant instant() {
        return this.now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("a MutableClock is always UTC");
    }
}
