package dev.deliverytracker.send.record;

import dev.deliverytracker.support.DurableWriteException;
import dev.deliverytracker.events.SendEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * Records send events before the producer gets an answer: to Kafka when it takes them in time, otherwise to the local
 * {@link Outbox}, from which {@link OutboxReplayer} moves them to Kafka later. While the outbox holds anything, new
 * events queue behind it, so the sends topic receives them in the order they were recorded.
 */
@Singleton
public class SendRecorder {

    /** Where the events of one answer ended up. */
    public enum Tracking {
        /** In Kafka: status-stream tracks them now. */
        RECORDED,
        /** In the local outbox: tracked once Kafka is back. */
        DELAYED,
        /** Neither Kafka nor the disk took them: the message is out, but nothing tracks it. Logged as an error. */
        UNTRACKED
    }

    /** Where each event went, in the order given; {@link #overall} is the worst of them. */
    public record Recorded(List<Tracking> perEvent) {

        public Tracking overall() {
            return perEvent.stream().max(Comparator.naturalOrder()).orElse(Tracking.RECORDED);
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(SendRecorder.class);

    private final SendEventWriter kafka;
    private final Outbox outbox;
    private final OutboxReplayer replayer;
    private final Counter delayed;
    private final Counter untracked;

    public SendRecorder(SendEventWriter kafka, Outbox outbox, OutboxReplayer replayer, MeterRegistry meters) {
        this.kafka = kafka;
        this.outbox = outbox;
        this.replayer = replayer;
        this.delayed = Counter.builder("delivery.send.events.delayed").description("Send events written to the local outbox because Kafka did not take them").register(meters);
        this.untracked = Counter.builder("delivery.send.events.untracked").description("Send events neither Kafka nor the outbox took").register(meters);
    }

    public Recorded record(List<SendEvent> events) {
        if (events.isEmpty()) {
            return new Recorded(List.of());
        }
        if (!outbox.hasPending()) {
            try {
                kafka.write(events);
                return new Recorded(Collections.nCopies(events.size(), Tracking.RECORDED));
            } catch (DurableWriteException e) {
                LOG.warn("Kafka did not take {} send event(s) ({}); writing them to the local outbox", events.size(), e.getMessage());
            }
        }
        List<Tracking> perEvent = new ArrayList<>(events.size());
        DurableWriteException failure = null;
        for (SendEvent event : events) {
            if (failure == null) {
                try {
                    outbox.append(event);
                    perEvent.add(Tracking.DELAYED);
                    continue;
                } catch (DurableWriteException e) {
                    failure = e;
                }
            }
            perEvent.add(Tracking.UNTRACKED);
            untracked.increment();
            LOG.error("UNTRACKED send: msgKey={} requestId={} origin={}: neither Kafka nor the outbox took it ({});"
                            + " the producer is told to retry with its Idempotency-Key",
                    event.getMsgKey(), event.getRequestId(), event.getOrigin(), failure.getMessage());
        }
        long kept = perEvent.stream().filter(t -> t == Tracking.DELAYED).count();
        if (kept > 0) {
            delayed.increment(kept);
            replayer.wake();
        }
        return new Recorded(perEvent);
    }
}
