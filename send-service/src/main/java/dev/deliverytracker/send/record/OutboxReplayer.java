package dev.deliverytracker.send.record;

import dev.deliverytracker.support.DurableWriteException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.deliverytracker.send.app.SendServiceProperties;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Moves outbox events to Kafka, oldest first, one acknowledged batch at a time, from start-up on (so a restart with a
 * non-empty outbox replays it) and whenever {@link SendRecorder} adds to it. Advances the outbox's offset only after
 * Kafka's acknowledgement.
 */
@Context
public class OutboxReplayer {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxReplayer.class);
    private static final int BATCH = 500;

    private final Outbox outbox;
    private final SendEventWriter kafka;
    private final Duration interval;
    private final Thread thread;
    private final Object signal = new Object();
    private volatile boolean running = true;
    private final Counter replayFailures;

    public OutboxReplayer(Outbox outbox, SendEventWriter kafka, SendServiceProperties properties, MeterRegistry meters) {
        this.outbox = outbox;
        this.kafka = kafka;
        this.interval = properties.outboxRetryInterval();
        Gauge.builder("delivery.send.outbox.pending.bytes", outbox, Outbox::pendingBytes)
                .description("Bytes of send events in the local outbox waiting for Kafka").register(meters);
        FunctionCounter.builder("delivery.send.outbox.quarantined", outbox, Outbox::quarantined)
                .description("Outbox lines that could not be read, moved to quarantine.log").register(meters);
        Gauge.builder("delivery.send.outbox.pending.age", outbox,
                        o -> o.pendingSince().map(since -> Duration.between(since, Instant.now()).toMillis() / 1000.0).orElse(0.0))
                .baseUnit("seconds")
                .description("How long the outbox has held events waiting for Kafka (0 when empty): an upper bound of the oldest event's age").register(meters);
        this.replayFailures = Counter.builder("delivery.send.outbox.replay.failures")
                .description("Replay attempts that failed (Kafka did not take the events); retried every outbox-retry-interval").register(meters);
        if (outbox.hasPending()) {
            LOG.warn("The send outbox holds {} bytes of events from before the restart; replaying them into Kafka", outbox.pendingBytes());
        }
        this.thread = new Thread(this::run, "send-outbox-replayer");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    void wake() {
        synchronized (signal) {
            signal.notifyAll();
        }
    }

    private void run() {
        while (running) {
            boolean progressed = false;
            try {
                List<Outbox.Entry> batch = outbox.pending(BATCH);
                if (!batch.isEmpty()) {
                    kafka.write(batch.stream().map(Outbox.Entry::event).toList());
                    outbox.markReplayed(batch.get(batch.size() - 1).endOffset());
                    progressed = true;
                    LOG.info("Replayed {} send event(s) from the outbox into Kafka; {} bytes left", batch.size(), outbox.pendingBytes());
                }
            } catch (DurableWriteException e) {
                replayFailures.increment();
                LOG.warn("Outbox replay waits for Kafka: {}", e.getMessage());
            } catch (RuntimeException e) {
                replayFailures.increment();
                LOG.error("Outbox replay failed", e);
            }
            if (!progressed) {
                synchronized (signal) {
                    try {
                        signal.wait(interval.toMillis());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }
    }

    @PreDestroy
    void stop() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(5_000);
    }
}
