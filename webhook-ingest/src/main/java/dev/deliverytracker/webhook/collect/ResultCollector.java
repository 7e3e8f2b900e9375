package dev.deliverytracker.webhook.collect;

import dev.deliverytracker.events.Channel;
import dev.deliverytracker.events.ProviderReport;
import dev.deliverytracker.events.ReportSource;
import dev.deliverytracker.events.SendEvent;
import dev.deliverytracker.events.SendOutcome;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Collects the results of a provider that pushes no delivery reports ({@link ResultSource}: NCP SENS, Aligo). Each of
 * its accepted sends ({@code delivery.sends}, re-keyed by group by {@link CollectorTopology}) is kept in the
 * provider's store ({@link #storeName}); a wall-clock punctuator asks the provider about the groups with messages due
 * (one ask per group, however many messages it has), writes each final result as a {@link ProviderReport} (source
 * POLL) and marks the message settled, and asks again later about those still processing, with a growing pause.
 * <p>
 * <b>Restarts.</b> The store is changelogged and the application runs exactly-once: a report and the marking of its
 * message as settled commit together, with the input offsets. After a crash the uncommitted round is repeated: the
 * provider may be asked twice, but no result is written twice and none is missed. The list of what to ask about needs
 * no database: it is the store, restored from its changelog. A settled message stays marked until {@code giveUpAfter}
 * after its send, so a re-published send event is not collected again; a send older than that is not collected.
 * <p>
 * <b>Provider trouble.</b> A 429, a 5xx or no connection pauses every call of every task of this instance for that
 * provider ({@link CallGate}, doubling up to {@code maxBackoff}); an answer, or an item, not in the provider's shape is
 * logged, counted and asked again later; a message the provider has no records of, or keeps "processing", is asked
 * about until {@code giveUpAfter} after its send, then dropped and counted (status-stream will have reported it stuck
 * long before).
 */
public final class ResultCollector implements Processor<String, SendEvent, String, ProviderReport> {

    private static final Logger LOG = LoggerFactory.getLogger(ResultCollector.class);

    private final CollectorConfig config;
    private final ResultSource source;
    private final String provider;
    private final CollectorMetrics metrics;
    private final CallGate gate;
    private ProcessorContext<String, ProviderReport> context;
    private KeyValueStore<String, PendingMessage> pending;

    private ResultCollector(CollectorConfig config, ResultSource source, CollectorMetrics metrics, CallGate gate) {
        this.config = config;
        this.source = source;
        this.provider = source.provider();
        this.metrics = metrics;
        this.gate = gate;
    }

    /** The processor's name for {@code provider}: {@code <provider>-result-collector}. */
    public static String processorName(String provider) {
        return provider + "-result-collector";
    }

    /** The store of {@code provider}'s unsettled messages: {@code <provider>-pending-messages}. */
    public static String storeName(String provider) {
        return provider + "-pending-messages";
    }

    public static ProcessorSupplier<String, SendEvent, String, ProviderReport> supplier(CollectorConfig config, ResultSource source,
                                                                                       CollectorMetrics metrics) {
        CallGate gate = new CallGate(config.pollInterval(), config.maxBackoff()); // shared by this instance's tasks
        return new ProcessorSupplier<>() {
            @Override
            public Processor<String, SendEvent, String, ProviderReport> get() {
                return new ResultCollector(config, source, metrics, gate);
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                return Set.of(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(storeName(source.provider())), Serdes.String(),
                        PendingMessage.serde()));
            }
        };
    }

    @Override
    public void init(ProcessorContext<String, ProviderReport> context) {
        this.context = context;
        this.pending = context.getStateStore(storeName(provider));
        context.schedule(config.pollInterval(), PunctuationType.WALL_CLOCK_TIME, this::collect);
    }

    /** Whether {@code send} is one {@code source} collects: accepted by its provider under a key of its form. */
    static boolean collects(SendEvent send, ResultSource source, CollectorMetrics metrics) {
        if (send == null || !source.provider().equals(send.getProvider()) || send.getOutcome() != SendOutcome.ACCEPTED || send.getMsgKey() == null) {
            return false;
        }
        if (source.pending(send, 0).isEmpty()) {
            metrics.unusableSend(source.provider());
            return false;
        }
        return true;
    }

    /** A collected send ({@link #collects}), keyed by its group. */
    @Override
    public void process(Record<String, SendEvent> record) {
        SendEvent send = record.value();
        String msgKey = send.getMsgKey();
        if (pending.get(msgKey) != null) {
            return; // the same send event again (a re-published copy), pending or already settled
        }
        long accepted = send.getAcceptedAt().toEpochMilli();
        if (accepted < context.currentSystemTimeMs() - config.giveUpAfter().toMillis()) {
            LOG.warn("A {} send of {} is older than give-up-after ({}): not collected", provider, Instant.ofEpochMilli(accepted), config.giveUpAfter());
            return;
        }
        source.pending(send, accepted + config.firstAsk().toMillis()).ifPresent(m -> pending.put(msgKey, m));
    }

    /**
     * One round: the requests with messages due, the most overdue first, at most {@code maxRequestsPerRound} and for at
     * most {@code roundBudget} of calls; what is left waits for the next round.
     */
    void collect(long now) {
        if (!gate.open(now)) {
            return;
        }
        long started = System.nanoTime();
        Map<String, List<KeyValue<String, PendingMessage>>> byGroup = new HashMap<>();
        Map<String, Long> firstDue = new HashMap<>();
        List<String> forgotten = new ArrayList<>();
        try (KeyValueIterator<String, PendingMessage> it = pending.all()) {
            while (it.hasNext()) {
                KeyValue<String, PendingMessage> entry = it.next();
                if (entry.value.settled()) {
                    if (expired(entry.value, now)) {
                        forgotten.add(entry.key);
                    }
                    continue;
                }
                byGroup.computeIfAbsent(entry.value.group(), r -> new ArrayList<>()).add(entry);
                if (entry.value.nextAskAt() <= now) {
                    firstDue.merge(entry.value.group(), entry.value.nextAskAt(), Math::min);
                }
            }
        }
        forgotten.forEach(pending::delete);
        List<String> due = firstDue.entrySet().stream().sorted(Map.Entry.comparingByValue()).limit(config.maxRequestsPerRound())
                .map(Map.Entry::getKey).toList();
        for (String group : due) {
            Duration left = config.roundBudget().minusNanos(System.nanoTime() - started);
            if (left.isNegative() || left.isZero()) {
                return; // the rest waits for the next round: a round runs inside the task's transaction
            }
            List<KeyValue<String, PendingMessage>> messages = byGroup.get(group);
            CollectedAnswer answer = source.results(group, messages.stream().map(m -> m.value).toList(), left);
            if (answer instanceof CollectedAnswer.Found found) {
                metrics.asked(provider, "found", found.calls());
                gate.succeeded();
                if (found.unreadable() > 0) {
                    metrics.asked(provider, "malformed-item", found.unreadable());
                    LOG.warn("{} listed {} item(s) of {} in a shape this collector cannot read; their messages are asked about again",
                            provider, found.unreadable(), group);
                }
                settle(messages, found.results(), now);
            } else if (answer instanceof CollectedAnswer.NoRecords none) {
                metrics.asked(provider, "no-records", none.calls());
                gate.succeeded();
                notListed(messages, now, provider + " has no records of it");
            } else if (answer instanceof CollectedAnswer.Malformed malformed) {
                metrics.asked(provider, "malformed", malformed.calls());
                LOG.warn("{} answered about {} in a shape this collector cannot read ({}); asking again later", provider, group, malformed.reason());
                notListed(messages, now, provider + "'s answers about it could not be read");
            } else if (answer instanceof CollectedAnswer.Unfinished unfinished) {
                metrics.asked(provider, "unfinished", unfinished.calls());
                LOG.warn("{} of {} not read to the end ({}); asking again next round", group, provider, unfinished.reason());
                return;
            } else {
                CollectedAnswer.Unavailable unavailable = (CollectedAnswer.Unavailable) answer;
                metrics.asked(provider, "unavailable", unavailable.calls());
                Duration pause = gate.failed(now, unavailable.retryAfter());
                LOG.warn("{} result calls paused for {} ms: {}", provider, pause.toMillis(), unavailable.reason());
                return;
            }
        }
    }

    private void settle(List<KeyValue<String, PendingMessage>> messages, Map<String, CollectedResult> results, long now) {
        for (KeyValue<String, PendingMessage> m : messages) {
            CollectedResult result = results.get(m.value.ref());
            if (result != null && !result.processing()) {
                report(m.key, result.channel(), result.channel().name(), result.code(), result.text(), result.completeTime(), now);
                if (result.fallback() != null) {
                    CollectedResult f = result.fallback();
                    report(m.key, f.channel(), f.channel().name(), f.code(), f.text(), f.completeTime(), now);
                }
                pending.put(m.key, m.value.settledNow());
            } else if (expired(m.value, now)) {
                giveUp(m, result == null ? provider + " does not list it" : provider + " still shows it processing");
            } else if (m.value.nextAskAt() <= now) {
                later(m, now);
            }
        }
    }

    /** Messages of a group the provider gave no readable answer about: asked again, or given up once too old. */
    private void notListed(List<KeyValue<String, PendingMessage>> messages, long now, String why) {
        for (KeyValue<String, PendingMessage> m : messages) {
            if (expired(m.value, now)) {
                giveUp(m, why);
            } else if (m.value.nextAskAt() <= now) {
                later(m, now);
            }
        }
    }

    private boolean expired(PendingMessage m, long now) {
        return now - m.acceptedAt() > config.giveUpAfter().toMillis();
    }

    private void giveUp(KeyValue<String, PendingMessage> m, String why) {
        pending.delete(m.key);
        metrics.gaveUp(provider);
        LOG.warn("Gave up collecting {} message {} after {} asks since {}: {}", provider, m.key, m.value.asks(),
                Instant.ofEpochMilli(m.value.acceptedAt()), why);
    }

    /** Asked again after a pause that doubles with each ask, from {@code firstAsk} up to {@code maxAskInterval}. */
    private void later(KeyValue<String, PendingMessage> m, long now) {
        long pause = Math.min(config.maxAskInterval().toMillis(), config.firstAsk().toMillis() << Math.min(20, m.value.asks()));
        pending.put(m.key, m.value.askedAgainAt(now + pause));
    }

    private void report(String msgKey, Channel channel, String serviceType, String code, String text, Instant reportTime, long now) {
        ProviderReport report = ProviderReport.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setMsgKey(msgKey)
                .setProvider(provider)
                .setChannel(channel)
                .setServiceType(serviceType)
                .setMsgType(null)
                .setReportType(null)
                .setReportCode(code)
                .setReportText(text)
                .setCarrier(null)
                .setRef(null)
                .setSendTime(null)
                .setReportTime(reportTime)
                .setReceivedAt(Instant.ofEpochMilli(now))
                .setSource(ReportSource.POLL)
                .setSignatureVerified(false)
                .setSourceAddress(null)
                .build();
        metrics.reported(provider, channel.name());
        context.forward(new Record<>(msgKey, report, now));
    }
}
