package dev.deliverytracker.monitor.topology;

import dev.deliverytracker.events.AlertRule;
import dev.deliverytracker.events.AlertState;
import dev.deliverytracker.events.DeliveryAlert;
import dev.deliverytracker.events.DeliveryState;
import dev.deliverytracker.events.DeliveryStatus;
import dev.deliverytracker.monitor.rules.Dimension;
import dev.deliverytracker.monitor.rules.RuleSet;
import dev.deliverytracker.monitor.state.ProviderActivity;
import dev.deliverytracker.schemas.serde.SingleObjectSerde;
import dev.deliverytracker.monitor.state.WindowBucket;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
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

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Evaluates the alert rules for the providers of its task (input keyed by provider).
 *
 * <p>Per status it updates, in its own named stores: {@value #ACTIVITY_STORE} (per provider: accepted sends, reports,
 * the account-failure episode), {@value #BUCKETS_STORE} (time buckets of settled / failed / unmatched counts per
 * provider and channel, template, origin), {@value #STUCK_STORE} (deliveries STUCK_PENDING now) and
 * {@value #ALERTS_STORE} (the last event of every alert, by provider and fingerprint). An account failure is
 * judged at once; every rule is judged by a wall-clock punctuator every {@code evaluation-interval}, so "reports
 * went silent" fires with no traffic at all. Only state changes are forwarded ({@link AlertBook}).
 */
public final class AlertEvaluator implements Processor<String, DeliveryStatus, String, DeliveryAlert> {

    public static final String NAME = "alert-evaluator";
    public static final String ACTIVITY_STORE = "monitor-provider-activity";
    public static final String BUCKETS_STORE = "monitor-window-buckets";
    public static final String STUCK_STORE = "monitor-stuck-deliveries";
    public static final String ALERTS_STORE = "monitor-alerts";

    static final char SEP = '\u001f';
    private static final String ALL = "*";
    private static final String PROVIDER_DIMENSION = "provider";

    private final AlertTopologyConfig config;
    private final AlertBook book;
    private ProcessorContext<String, DeliveryAlert> context;
    private KeyValueStore<String, ProviderActivity> activities;
    private KeyValueStore<String, WindowBucket> buckets;
    private KeyValueStore<String, String> stuck;
    private KeyValueStore<String, DeliveryAlert> alerts;
    private long startedAt;

    AlertEvaluator(AlertTopologyConfig config) {
        this.config = config;
        this.book = new AlertBook(config.lookupBaseUrl());
    }

    static ProcessorSupplier<String, DeliveryStatus, String, DeliveryAlert> supplier(AlertTopologyConfig config) {
        return new ProcessorSupplier<>() {
            @Override
            public Processor<String, DeliveryStatus, String, DeliveryAlert> get() {
                return new AlertEvaluator(config);
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                return Set.of(
                        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ACTIVITY_STORE), Serdes.String(),
                                SingleObjectSerde.of(ProviderActivity.class)).withCachingEnabled(),
                        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(BUCKETS_STORE), Serdes.String(),
                                SingleObjectSerde.of(WindowBucket.class)).withCachingEnabled(),
                        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STUCK_STORE), Serdes.String(), Serdes.String())
                                .withCachingEnabled(),
                        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ALERTS_STORE), Serdes.String(),
                                SingleObjectSerde.of(DeliveryAlert.class)));
            }
        };
    }

    @Override
    public void init(ProcessorContext<String, DeliveryAlert> context) {
        this.context = context;
        this.activities = context.getStateStore(ACTIVITY_STORE);
        this.buckets = context.getStateStore(BUCKETS_STORE);
        this.stuck = context.getStateStore(STUCK_STORE);
        this.alerts = context.getStateStore(ALERTS_STORE);
        this.startedAt = context.currentSystemTimeMs();
        context.schedule(config.evaluationInterval(), PunctuationType.WALL_CLOCK_TIME, this::evaluateAll);
    }

    @Override
    public void process(Record<String, DeliveryStatus> record) {
        String provider = record.key();
        DeliveryStatus s = record.value();
        RuleSet rules = config.rules().forProvider(provider);
        ProviderActivity activity = activities.get(provider);
        if (activity == null) {
            activity = ActivityTracker.empty();
        }
        boolean accountFailure = ActivityTracker.apply(activity, s, rules.accountFailure());
        activities.put(provider, activity);
        count(provider, s, rules);
        trackStuck(provider, s);
        if (accountFailure) {
            long now = context.currentSystemTimeMs();
            Map<String, DeliveryAlert> stored = storedAlerts(provider);
            Candidate c = RuleEvaluator.accountFailure(provider, rules.accountFailure(), activity, now);
            decide(provider, c, stored.get(c.fingerprint()), false, now);
        }
    }

    void evaluateAll(long wallTime) {
        List<String> providers = new ArrayList<>();
        try (KeyValueIterator<String, ProviderActivity> it = activities.all()) {
            it.forEachRemaining(kv -> providers.add(kv.key));
        }
        for (String provider : providers) {
            evaluate(provider, wallTime);
        }
    }

    private void evaluate(String provider, long now) {
        RuleSet rules = config.rules().forProvider(provider);
        ProviderActivity activity = activities.get(provider);
        Map<String, DeliveryAlert> stored = storedAlerts(provider);
        Set<String> firing = new HashSet<>();
        stored.forEach((fp, alert) -> {
            if (alert.getState() == AlertState.FIRING) {
                firing.add(fp);
            }
        });

        Map<RuleEvaluator.Subject, WindowTotals> rateWindows = new HashMap<>();
        WindowTotals unmatched = new WindowTotals();
        scanBuckets(provider, rules, now, rateWindows, unmatched);
        Map<String, StuckSummary> stuckByChannel = new TreeMap<>();
        try (KeyValueIterator<String, String> it = stuck.prefixScan(provider + SEP, new StringSerializer())) {
            it.forEachRemaining(kv -> {
                int sep = kv.value.indexOf(SEP);
                stuckByChannel.computeIfAbsent(kv.value.substring(0, sep), ch -> new StuckSummary())
                        .add(kv.key.substring(provider.length() + 1), Long.parseLong(kv.value.substring(sep + 1)));
            });
        }
        // a channel whose stuck alert fires but has no stuck delivery left is judged too (with zero), so it resolves
        for (DeliveryAlert alert : stored.values()) {
            if (alert.getRule() == AlertRule.STUCK_BACKLOG && alert.getState() == AlertState.FIRING) {
                stuckByChannel.computeIfAbsent(alert.getLabels().get(Dimension.CHANNEL.label()), ch -> new StuckSummary());
            }
        }

        List<Candidate> candidates = new ArrayList<>();
        Candidate account = RuleEvaluator.accountFailure(provider, rules.accountFailure(), activity, now);
        candidates.add(account);
        candidates.addAll(RuleEvaluator.failureRates(provider, rules.failureRate(), rateWindows, firing, now));
        candidates.addAll(RuleEvaluator.stuckBacklogs(provider, rules.stuckBacklog(), stuckByChannel, firing, now));
        boolean judging = now - startedAt >= config.catchUpGrace().toMillis();
        candidates.add(RuleEvaluator.reportsSilent(provider, rules.reportsSilent(), activity, judging, firing, now));
        candidates.add(RuleEvaluator.unmatchedReports(provider, rules.unmatchedReports(), unmatched, now));

        Set<String> judged = new HashSet<>();
        for (Candidate c : candidates) {
            String fp = c.fingerprint();
            judged.add(fp);
            // one suspended account makes one page: while it fires, failure rates of the same provider stay quiet
            boolean inhibited = c.rule() == AlertRule.FAILURE_RATE && account.active();
            decide(provider, c, stored.get(fp), inhibited, now);
        }
        for (Map.Entry<String, DeliveryAlert> entry : stored.entrySet()) {
            DeliveryAlert alert = entry.getValue();
            if (judged.contains(entry.getKey())) {
                if (alert.getState() == AlertState.RESOLVED && now - alert.getEndsAt().toEpochMilli() >= config.resolvedRetention().toMillis()) {
                    alerts.delete(provider + SEP + entry.getKey());
                }
                continue;
            }
            if (alert.getState() == AlertState.FIRING) {
                forward(provider, book.resolveGone(alert, now), now);
            } else if (now - alert.getEndsAt().toEpochMilli() >= config.resolvedRetention().toMillis()) {
                alerts.delete(provider + SEP + entry.getKey());
            }
        }
        if (!account.active() && activity.getAccountFailureStartedAt() != 0) {
            ActivityTracker.endAccountFailureEpisode(activity);
            activities.put(provider, activity);
        }
    }

    private void decide(String provider, Candidate c, DeliveryAlert stored, boolean inhibited, long now) {
        DeliveryAlert event = book.decide(c, stored, inhibited, now);
        if (event != null) {
            forward(provider, event, now);
        }
    }

    private void forward(String provider, DeliveryAlert event, long now) {
        alerts.put(provider + SEP + event.getFingerprint(), event);
        context.forward(new Record<>(event.getFingerprint(), event, now));
    }

    private Map<String, DeliveryAlert> storedAlerts(String provider) {
        Map<String, DeliveryAlert> stored = new HashMap<>();
        try (KeyValueIterator<String, DeliveryAlert> it = alerts.prefixScan(provider + SEP, new StringSerializer())) {
            it.forEachRemaining(kv -> stored.put(kv.value.getFingerprint(), kv.value));
        }
        return stored;
    }

    /** Adds a settled or unmatched status to its time bucket, for the provider and each dimension value. */
    private void count(String provider, DeliveryStatus s, RuleSet rules) {
        DeliveryState state = s.getStatus();
        boolean settled = state == DeliveryState.SENT || state == DeliveryState.DEAD_LETTER;
        if (!settled && state != DeliveryState.UNMATCHED_REPORT) {
            return;
        }
        long at = s.getResolvedAt().toEpochMilli();
        long bucketMillis = config.bucket().toMillis();
        long bucketStart = Math.floorDiv(at, bucketMillis) * bucketMillis;
        if (bucketStart < context.currentSystemTimeMs() - config.rules().longestWindow().toMillis() - bucketMillis) {
            return; // older than every window: it would be purged at the next evaluation
        }
        List<String[]> subjects = new ArrayList<>();
        subjects.add(new String[]{PROVIDER_DIMENSION, ALL});
        if (settled) {
            for (Dimension d : Dimension.values()) {
                String value = d.valueOf(s);
                if (value != null && !value.isBlank()) {
                    subjects.add(new String[]{d.label(), value});
                }
            }
        }
        for (String[] subject : subjects) {
            String key = provider + SEP + subject[0] + SEP + subject[1] + SEP + String.format("%013d", bucketStart);
            WindowBucket b = buckets.get(key);
            if (b == null) {
                b = WindowBucket.newBuilder().build();
            }
            if (state == DeliveryState.UNMATCHED_REPORT) {
                b.setUnmatched(b.getUnmatched() + 1);
                b.setSamples(ActivityTracker.prepend(b.getSamples(), s.getMsgKey()));
            } else {
                b.setSettled(b.getSettled() + 1);
                if (state == DeliveryState.DEAD_LETTER) {
                    b.setFailed(b.getFailed() + 1);
                    String code = s.getCode() == null ? "none" : s.getCode();
                    b.getCodes().merge(code, 1L, Long::sum);
                    if (s.getText() != null) {
                        b.getCodeTexts().put(code, s.getText());
                    }
                    b.setSamples(ActivityTracker.prepend(b.getSamples(), s.getMsgKey()));
                }
            }
            buckets.put(key, b);
        }
    }

    private void scanBuckets(String provider, RuleSet rules, long now, Map<RuleEvaluator.Subject, WindowTotals> rateWindows,
                             WindowTotals unmatched) {
        long keepFrom = now - rules.longestWindow().toMillis() - config.bucket().toMillis();
        long rateFrom = now - rules.failureRate().window().toMillis();
        long unmatchedFrom = now - rules.unmatchedReports().window().toMillis();
        List<String> expired = new ArrayList<>();
        try (KeyValueIterator<String, WindowBucket> it = buckets.prefixScan(provider + SEP, new StringSerializer())) {
            while (it.hasNext()) {
                KeyValue<String, WindowBucket> kv = it.next();
                String[] parts = kv.key.split(String.valueOf(SEP), -1);
                long start = Long.parseLong(parts[3]);
                if (start < keepFrom) {
                    expired.add(kv.key);
                    continue;
                }
                // a bucket counts when it ends inside the window
                long end = start + config.bucket().toMillis();
                if (PROVIDER_DIMENSION.equals(parts[1])) {
                    if (end > unmatchedFrom) {
                        unmatched.add(kv.value);
                    }
                } else if (end > rateFrom) {
                    Dimension dimension = switch (parts[1]) {
                        case "channel" -> Dimension.CHANNEL;
                        case "templateCode" -> Dimension.TEMPLATE;
                        default -> Dimension.ORIGIN;
                    };
                    rateWindows.computeIfAbsent(new RuleEvaluator.Subject(dimension, parts[2]), k -> new WindowTotals()).add(kv.value);
                }
            }
        }
        expired.forEach(buckets::delete);
    }

    private void trackStuck(String provider, DeliveryStatus s) {
        String key = provider + SEP + s.getMsgKey();
        if (s.getStatus() == DeliveryState.STUCK_PENDING) {
            String channel = s.getChannel() != null ? s.getChannel().name()
                    : s.getFlow().isEmpty() ? "UNKNOWN" : s.getFlow().get(0).name();
            long since = s.getAcceptedAt() != null ? s.getAcceptedAt().toEpochMilli() : s.getResolvedAt().toEpochMilli();
            stuck.put(key, channel + SEP + since);
        } else if (s.getPreviousStatus() == DeliveryState.STUCK_PENDING) {
            stuck.delete(key);
        }
    }
}
