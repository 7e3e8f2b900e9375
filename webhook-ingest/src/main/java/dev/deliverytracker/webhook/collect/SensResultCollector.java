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
 * Collects NCP SENS's AlimTalk results. Each accepted SENS send ({@code delivery.sends}, provider {@code ncp-sens},
 * msgKey {@code requestId:messageId}) is kept in {@value #STORE}; a wall-clock punctuator asks SENS about the requests
 * with messages due (one call per request, however many messages it has), writes each final result as a
 * {@link ProviderReport} (source POLL) and marks the message settled, and asks again later about those still processing,
 * with a growing pause. SENS's AlimTalk result API documents no result of an SMS/LMS fail-over, so only the AlimTalk
 * result is reported: a failed AlimTalk whose send asked for a fail-over goes FALLBACK in status-stream, then
 * STUCK_PENDING when no fail-over result comes (never a wrong final).
 * <p>
 * <b>Restarts.</b> The store is changelogged and the application runs exactly-once: a report and the marking of its
 * message as settled commit together, with the input offsets. After a crash the uncommitted round is repeated: SENS
 * may be asked twice, but no result is written twice and none is missed. The list of what to ask about needs no
 * database: it is the store, restored from its changelog. A settled message stays marked until {@code giveUpAfter}
 * after its send, so a re-published send event is not collected again; a send older than that is not collected.
 * <p>
 * <b>SENS trouble.</b> A 429, a 5xx or no connection pauses every call of every task of this instance ({@link CallGate},
 * doubling up to {@code maxBackoff}); an answer, or an item, not in SENS's shape is logged, counted and asked again
 * later; a message SENS has no records of, or keeps "processing", is asked about until {@code giveUpAfter} after its
 * send, then dropped and counted (status-stream will have reported it stuck long before).
 */
public final class SensResultCollector implements Processor<String, SendEvent, String, ProviderReport> {

    public static final String NAME = "sens-result-collector";
    public static final String STORE = "sens-pending-messages";
    public static final String PROVIDER = "ncp-sens";
    private static final Logger LOG = LoggerFactory.getLogger(SensResultCollector.class);

    private final SensCollectorConfig config;
    private final SensResultsClient client;
    private final CollectorMetrics metrics;
    private final CallGate gate;
    private ProcessorContext<String, ProviderReport> context;
    private KeyValueStore<String, PendingMessage> pending;

    /**
     * Timings of the collector (from {@link SensCollectorProperties}). {@code roundBudget} bounds how long one round
     * may call SENS: a round runs inside the task's transaction, which must commit well within Kafka's transaction
     * timeout (10 s for Kafka Streams).
     */
    public record SensCollectorConfig(Duration pollInterval, Duration firstAsk, Duration maxAskInterval, Duration giveUpAfter,
                                      int maxRequestsPerRound, Duration maxBackoff, Duration roundBudget) {
    }

    private SensResultCollector(SensCollectorConfig config, SensResultsClient client, CollectorMetrics metrics, CallGate gate) {
        this.config = config;
        this.client = client;
        this.metrics = metrics;
        this.gate = gate;
    }

    public static ProcessorSupplier<String, SendEvent, String, ProviderReport> supplier(SensCollectorConfig config, SensResultsClient client,
                                                                                       CollectorMetrics metrics) {
        CallGate gate = new CallGate(config.pollInterval(), config.maxBackoff()); // shared by this instance's tasks
        return new ProcessorSupplier<>() {
            @Override
            public Processor<String, SendEvent, String, ProviderReport> get() {
                return new SensResultCollector(config, client, metrics, gate);
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                return Set.of(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.String(), PendingMessage.serde()));
            }
        };
    }

    @Override
    public void init(ProcessorContext<String, ProviderReport> context) {
        this.context = context;
        this.pending = context.getStateStore(STORE);
        context.schedule(config.pollInterval(), PunctuationType.WALL_CLOCK_TIME, this::collect);
    }

    /** Whether {@code send} is one to collect: accepted by SENS under a {@code requestId:messageId} key. */
    static boolean collects(SendEvent send, CollectorMetrics metrics) {
        if (send == null || !PROVIDER.equals(send.getProvider()) || send.getOutcome() != SendOutcome.ACCEPTED || send.getMsgKey() == null) {
            return false;
        }
        String msgKey = send.getMsgKey();
        int colon = msgKey.indexOf(':');
        if (colon <= 0 || colon == msgKey.length() - 1) {
            metrics.unusableSend(PROVIDER);
            LOG.warn("A SENS send whose msgKey is not requestId:messageId cannot be collected: {}", msgKey);
            return false;
        }
        return true;
    }

    /** SENS's request id, from a collected send's msgKey. */
    static String requestIdOf(String msgKey) {
        return msgKey.substring(0, msgKey.indexOf(':'));
    }

    /** A collected send ({@link #collects}), keyed by its request id. */
    @Override
    public void process(Record<String, SendEvent> record) {
        SendEvent send = record.value();
        String msgKey = send.getMsgKey();
        int colon = msgKey.indexOf(':');
        if (pending.get(msgKey) != null) {
            return; // the same send event again (a re-published copy), pending or already settled
        }
        long accepted = send.getAcceptedAt().toEpochMilli();
        if (accepted < context.currentSystemTimeMs() - config.giveUpAfter().toMillis()) {
            LOG.warn("A SENS send of {} is older than give-up-after ({}): not collected", Instant.ofEpochMilli(accepted), config.giveUpAfter());
            return;
        }
        pending.put(msgKey, new PendingMessage(msgKey.substring(0, colon), msgKey.substring(colon + 1), accepted,
                accepted + config.firstAsk().toMillis(), 0, false));
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
        Map<String, List<KeyValue<String, PendingMessage>>> byRequest = new HashMap<>();
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
                byRequest.computeIfAbsent(entry.value.requestId(), r -> new ArrayList<>()).add(entry);
                if (entry.value.nextAskAt() <= now) {
                    firstDue.merge(entry.value.requestId(), entry.value.nextAskAt(), Math::min);
                }
            }
        }
        forgotten.forEach(pending::delete);
        List<String> due = firstDue.entrySet().stream().sorted(Map.Entry.comparingByValue()).limit(config.maxRequestsPerRound())
                .map(Map.Entry::getKey).toList();
        for (String requestId : due) {
            Duration left = config.roundBudget().minusNanos(System.nanoTime() - started);
            if (left.isNegative() || left.isZero()) {
                return; // the rest waits for the next round: a round runs inside the task's transaction
            }
            SensResultsClient.Answer answer = client.results(requestId, left);
            List<KeyValue<String, PendingMessage>> messages = byRequest.get(requestId);
            if (answer instanceof SensResultsClient.Answer.Found found) {
                metrics.asked(PROVIDER, "found", found.calls());
                gate.succeeded();
                if (found.unreadable() > 0) {
                    metrics.asked(PROVIDER, "malformed-item", found.unreadable());
                    LOG.warn("SENS listed {} item(s) of request {} in a shape this collector cannot read; their messages are asked about again",
                            found.unreadable(), requestId);
                }
                settle(messages, found.results(), now);
            } else if (answer instanceof SensResultsClient.Answer.NoRecords none) {
                metrics.asked(PROVIDER, "no-records", none.calls());
                gate.succeeded();
                notListed(messages, now, "SENS has no records of its request");
            } else if (answer instanceof SensResultsClient.Answer.Malformed malformed) {
                metrics.asked(PROVIDER, "malformed", malformed.calls());
                LOG.warn("SENS answered request {} in a shape this collector cannot read ({}); asking again later", requestId, malformed.reason());
                notListed(messages, now, "SENS's answers about it could not be read");
            } else if (answer instanceof SensResultsClient.Answer.Unfinished unfinished) {
                metrics.asked(PROVIDER, "unfinished", unfinished.calls());
                LOG.warn("Request {} not read to the end ({}); asking again next round", requestId, unfinished.reason());
                return;
            } else {
                SensResultsClient.Answer.Unavailable unavailable = (SensResultsClient.Answer.Unavailable) answer;
                metrics.asked(PROVIDER, "unavailable", unavailable.calls());
                Duration pause = gate.failed(now, unavailable.retryAfter());
                LOG.warn("SENS result calls paused for {} ms: {}", pause.toMillis(), unavailable.reason());
                return;
            }
        }
    }

    private void settle(List<KeyValue<String, PendingMessage>> messages, Map<String, SensResult> results, long now) {
        for (KeyValue<String, PendingMessage> m : messages) {
            SensResult result = results.get(m.value.messageId());
            if (result != null && !result.processing()) {
                report(m.key, Channel.ALIMTALK, "ALIMTALK", result.code(), result.description(), result.completeTime(), now);
                pending.put(m.key, m.value.settledNow());
            } else if (expired(m.value, now)) {
                giveUp(m, result == null ? "SENS lists its request without it" : "SENS still shows it processing");
            } else if (m.value.nextAskAt() <= now) {
                later(m, now);
            }
        }
    }

    /** Messages of a request SENS gave no readable answer about: asked again, or given up once too old. */
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
        metrics.gaveUp(PROVIDER);
        LOG.warn("Gave up collecting SENS message {} after {} asks since {}: {}", m.key, m.value.asks(),
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
                .setProvider(PROVIDER)
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
        metrics.reported(PROVIDER, channel.name());
        context.forward(new Record<>(msgKey, report, now));
    }
}
