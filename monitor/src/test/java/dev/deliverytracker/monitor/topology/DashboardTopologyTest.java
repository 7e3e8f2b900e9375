package dev.deliverytracker.monitor.topology;

import dev.deliverytracker.events.Classification;
import dev.deliverytracker.events.DeliveryState;
import dev.deliverytracker.events.DeliveryStatus;
import dev.deliverytracker.monitor.dashboard.DashboardQueries;
import dev.deliverytracker.monitor.dashboard.DashboardShares;
import dev.deliverytracker.monitor.dashboard.DashboardStoreSource;
import dev.deliverytracker.monitor.dashboard.DashboardStores;
import dev.deliverytracker.monitor.dashboard.DashboardViews.BreakdownRow;
import dev.deliverytracker.monitor.dashboard.DashboardViews.FailureCode;
import dev.deliverytracker.monitor.dashboard.DashboardViews.ListedDelivery;
import dev.deliverytracker.monitor.dashboard.DashboardViews.Summary;
import dev.deliverytracker.monitor.dashboard.DashboardViews.TimeSeries;
import dev.deliverytracker.monitor.dashboard.DashboardWindow;
import dev.deliverytracker.monitor.dashboard.LocalDashboard;
import dev.deliverytracker.monitor.rules.AlertRules;
import dev.deliverytracker.schemas.topics.TopicCatalogue;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The dashboard's numbers: statuses fed through the monitor's topology (TopologyTestDriver, fixed timestamps), then
 * every query answered from its stores, exactly. Minutes are M0 = 00:00, M1 = 00:01, M2 = 00:02 of one day.
 */
class DashboardTopologyTest {

    private static final Instant M0 = Instant.parse("2026-12-01T00:00:00Z");
    private static final Instant M1 = M0.plus(Duration.ofMinutes(1));
    private static final Instant M2 = M0.plus(Duration.ofMinutes(2));

    private AlertHarness h;

    @BeforeEach
    void start() {
        h = new AlertHarness(AlertTopologyConfig.defaults(TopicCatalogue.defaults(), AlertRules.parse(Map.of(), java.util.Set.of())), M0);
    }

    @AfterEach
    void stop() {
        h.assertOutputEmpty("at the end (the dashboard forwards nothing, and these statuses raise no alert but the account failure)");
        h.close();
    }

    private DashboardQueries queriesAt(Instant now) {
        return new DashboardQueries(DashboardShares.of(new LocalDashboard(source(), "/api/deliveries")), Clock.fixed(now, ZoneOffset.UTC));
    }

    private DashboardStoreSource source() {
        return new DashboardStoreSource() {
            @Override
            public <V> ReadOnlyWindowStore<String, V> window(String name) {
                return h.driver.getWindowStore(name);
            }

            @Override
            public <V> ReadOnlyKeyValueStore<String, V> keyValue(String name) {
                return h.driver.getKeyValueStore(name);
            }

            @Override
            public <V> List<ReadOnlyKeyValueStore<String, V>> keyValuePerTask(String name) {
                return List.of(h.driver.getKeyValueStore(name));
            }

            @Override
            public Set<Integer> partitions() {
                return Set.of(0);
            }
        };
    }

    private DeliveryStatus status(DeliveryState state, Instant at, String msgKey, Classification classification, String code,
                                  String template, String origin, Long latencyMillis) {
        return h.status("bizgo", state, classification, code)
                .setMsgKey(msgKey).setEventId(msgKey + "-" + state)
                .setResolvedAt(at).setAcceptedAt(M0.plusSeconds(5))
                .setTemplateCode(template).setOrigin(origin).setLatencyMillis(latencyMillis)
                .build();
    }

    /** 4 accepted in M0; 3 delivered (150 ms, 900 ms, 4 s) and 1 failed 64016 in M1; 2 failed 64008, 1 stuck, 1 unmatched in M2. */
    private void feedThreeMinutes() {
        for (int i = 1; i <= 4; i++) {
            h.pipe(status(DeliveryState.PENDING, M0.plusSeconds(10 + i), "m" + i, null, null, "TPL_1", "billing", null));
        }
        h.pipe(status(DeliveryState.SENT, M1.plusSeconds(1), "m1", Classification.DELIVERED, "10000", "TPL_1", "billing", 150L));
        h.pipe(status(DeliveryState.SENT, M1.plusSeconds(2), "m2", Classification.DELIVERED, "10000", "TPL_1", "billing", 900L));
        h.pipe(status(DeliveryState.SENT, M1.plusSeconds(3), "m3", Classification.DELIVERED, "10000", "TPL_1", "billing", 4_000L));
        h.pipe(status(DeliveryState.DEAD_LETTER, M1.plusSeconds(4), "m4", Classification.PERMANENT_FAILURE, "64016", "TPL_1", "billing", null));
        h.pipe(status(DeliveryState.DEAD_LETTER, M2.plusSeconds(1), "s1", Classification.ACCOUNT_FAILURE, "64008", "배송_안내", "shop", null));
        h.pipe(status(DeliveryState.DEAD_LETTER, M2.plusSeconds(2), "s2", Classification.ACCOUNT_FAILURE, "64008", "배송_안내", "shop", null));
        h.pipe(status(DeliveryState.STUCK_PENDING, M2.plusSeconds(3), "x1", null, null, "TPL_1", "billing", null));
        h.pipe(status(DeliveryState.UNMATCHED_REPORT, M2.plusSeconds(4), "u1", Classification.DELIVERED, "10000", null, null, null));
        assertThat(h.alerts()).as("the account failure alert fires, as it should").hasSize(1);
    }

    @Test
    void theTilesAreTheSumsOfTheWindowsMinutes() {
        feedThreeMinutes();
        Summary summary = queriesAt(M2.plusSeconds(40)).summary(DashboardWindow.parse("15m"));
        assertThat(summary.accepted()).isEqualTo(4);
        assertThat(summary.delivered()).isEqualTo(3);
        assertThat(summary.failed()).isEqualTo(3);
        assertThat(summary.failedByClassification()).containsExactly(Map.entry("ACCOUNT_FAILURE", 2L), Map.entry("PERMANENT_FAILURE", 1L));
        assertThat(summary.deliveryRate()).isEqualTo(0.5);
        assertThat(summary.stuckNow()).isEqualTo(1);
        assertThat(summary.becameStuck()).isEqualTo(1);
        assertThat(summary.unmatched()).isEqualTo(1);
        assertThat(summary.latencyP50Ms()).as("900 ms is the median, in the bucket up to 1 s").isEqualTo(1_000L);
        assertThat(summary.latencyP95Ms()).as("4 s, in the bucket up to 5 s").isEqualTo(5_000L);
        assertThat(summary.from()).isEqualTo(M2.minus(Duration.ofMinutes(14)));
        assertThat(summary.to()).isEqualTo(M2.plusSeconds(40));
    }

    @Test
    void theWindowsEdgesAreWholeMinutesIncludingTheOneInProgress() {
        feedThreeMinutes();
        // At 00:16:40 the 15-minute window starts at 00:02: M0 and M1 are out, M2 is in.
        Summary late = queriesAt(M0.plus(Duration.ofMinutes(16)).plusSeconds(40)).summary(DashboardWindow.parse("15m"));
        assertThat(List.of(late.accepted(), late.delivered(), late.failed(), late.becameStuck(), late.unmatched())).containsExactly(0L, 0L, 2L, 1L, 1L);
        assertThat(late.deliveryRate()).isEqualTo(0.0);
        assertThat(late.latencyP50Ms()).isNull();
        // At 00:15:59.999 it starts at 00:01: M1 and M2.
        Summary edge = queriesAt(M0.plus(Duration.ofMinutes(16)).minusMillis(1)).summary(DashboardWindow.parse("15m"));
        assertThat(List.of(edge.accepted(), edge.delivered(), edge.failed())).containsExactly(0L, 3L, 3L);
        // A one-minute window is the minute in progress only.
        Summary now = queriesAt(M1.plusSeconds(59)).summary(DashboardWindow.parse("1m"));
        assertThat(List.of(now.accepted(), now.delivered(), now.failed())).containsExactly(0L, 3L, 1L);
    }

    @Test
    void theTimeSeriesHasOneEntryPerMinuteOldestFirst() {
        feedThreeMinutes();
        TimeSeries series = queriesAt(M2.plusSeconds(40)).timeSeries(DashboardWindow.parse("15m"));
        assertThat(series.minutes()).hasSize(15).startsWith(M2.minus(Duration.ofMinutes(14)).toEpochMilli()).endsWith(M2.toEpochMilli());
        List<Long> zeros = Collections.nCopies(12, 0L);
        assertThat(series.accepted().subList(0, 12)).isEqualTo(zeros);
        assertThat(series.accepted().subList(12, 15)).containsExactly(4L, 0L, 0L);
        assertThat(series.delivered().subList(12, 15)).containsExactly(0L, 3L, 0L);
        assertThat(series.failed().subList(12, 15)).containsExactly(0L, 1L, 2L);
        assertThat(series.stuck().subList(12, 15)).containsExactly(0L, 0L, 1L);
    }

    @Test
    void theBreakdownPutsTheWorstRowsFirstAndKeepsKoreanTemplateNames() {
        feedThreeMinutes();
        List<BreakdownRow> rows = queriesAt(M2.plusSeconds(40)).breakdown(DashboardWindow.parse("1h"), DashboardQueries.Sort.RATE);
        assertThat(rows).containsExactly(
                new BreakdownRow("bizgo", "ALIMTALK", "배송_안내", "shop", 0, 0, 2, 0, 0, 0.0),
                new BreakdownRow("bizgo", "ALIMTALK", "TPL_1", "billing", 4, 3, 1, 1, 0, 0.75),
                new BreakdownRow("bizgo", "ALIMTALK", null, null, 0, 0, 0, 0, 1, null));
        assertThat(queriesAt(M2.plusSeconds(40)).breakdown(DashboardWindow.parse("1h"), DashboardQueries.Sort.ACCEPTED).get(0).template())
                .isEqualTo("TPL_1");
        assertThat(queriesAt(M2.plusSeconds(40)).breakdown(DashboardWindow.parse("1h"), DashboardQueries.Sort.RATE, 1))
                .extracting(BreakdownRow::template).containsExactly("배송_안내");
    }

    @Test
    void aMessageSettledByItsFallbackChannelCountsUnderItsFirstChannel() {
        h.pipe(status(DeliveryState.PENDING, M0.plusSeconds(1), "f1", null, null, "TPL_1", "billing", null));
        h.pipe(h.status("bizgo", DeliveryState.SENT, Classification.DELIVERED, "10000").setMsgKey("f1").setEventId("f1-SENT")
                .setChannel(dev.deliverytracker.events.Channel.SMS).setResolvedAt(M0.plusSeconds(9)).setTemplateCode("TPL_1")
                .setOrigin("billing").build());
        assertThat(queriesAt(M0.plusSeconds(30)).breakdown(DashboardWindow.parse("1h"), DashboardQueries.Sort.RATE))
                .containsExactly(new BreakdownRow("bizgo", "ALIMTALK", "TPL_1", "billing", 1, 1, 0, 0, 0, 1.0));
    }

    @Test
    void theTopFailureCodesCountAndKeepTheNewestText() {
        feedThreeMinutes();
        List<FailureCode> codes = queriesAt(M2.plusSeconds(40)).failures(DashboardWindow.parse("1h"), 10);
        assertThat(codes).containsExactly(
                new FailureCode("bizgo", "64008", "ACCOUNT_FAILURE", "text of 64008", 2, M2.plusSeconds(2)),
                new FailureCode("bizgo", "64016", "PERMANENT_FAILURE", "text of 64016", 1, M1.plusSeconds(4)));
        assertThat(queriesAt(M2.plusSeconds(40)).failures(DashboardWindow.parse("1h"), 1)).hasSize(1);
    }

    @Test
    void aStuckDeliveryIsListedUntilAFinalStatusSettlesItButAFallbackDoesNot() {
        feedThreeMinutes();
        h.pipe(status(DeliveryState.STUCK_PENDING, M2.plusSeconds(5), "x2", null, null, "TPL_1", "billing", null));
        List<ListedDelivery> stuck = queriesAt(M2.plusSeconds(40)).stuck(50);
        assertThat(stuck).extracting(ListedDelivery::msgKey).containsExactly("x1", "x2");
        assertThat(stuck.get(0).ageSeconds()).as("since it was accepted at 00:00:05").isEqualTo(155);
        assertThat(stuck.get(0).historyUrl()).isEqualTo("/api/deliveries/x1");
        h.pipe(status(DeliveryState.FALLBACK, M2.plusSeconds(6), "x2", Classification.PERMANENT_FAILURE, "64016", "TPL_1", "billing", null));
        h.pipe(status(DeliveryState.SENT, M2.plusSeconds(7), "x1", Classification.DELIVERED, "10000", "TPL_1", "billing", 200_000L));
        assertThat(queriesAt(M2.plusSeconds(40)).stuck(50)).extracting(ListedDelivery::msgKey).containsExactly("x2");
        assertThat(queriesAt(M2.plusSeconds(40)).summary(DashboardWindow.parse("15m")).stuckNow()).isEqualTo(1);
        assertThat(queriesAt(M2.plusSeconds(40)).lists("x2")).as("stuck").isTrue();
        assertThat(queriesAt(M2.plusSeconds(40)).lists("x1")).as("delivered: not listed").isFalse();
        assertThat(queriesAt(M2.plusSeconds(40)).lists("m4")).as("failed within 24 h").isTrue();
        assertThat(queriesAt(M1.plus(Duration.ofHours(25))).lists("m4")).as("failed over 24 h ago").isFalse();
        h.pipe(status(DeliveryState.DEAD_LETTER, M2.plusSeconds(8), "x2", Classification.NO_REPORT, null, "TPL_1", "billing", null));
        assertThat(queriesAt(M2.plusSeconds(40)).stuck(50)).isEmpty();
    }

    @Test
    void recentFailuresAreNewestFirstWithinTheWindow() {
        feedThreeMinutes();
        assertThat(queriesAt(M2.plusSeconds(40)).recentFailures(DashboardWindow.parse("15m"), 50))
                .extracting(ListedDelivery::msgKey).containsExactly("s2", "s1", "m4");
        assertThat(queriesAt(M2.plusSeconds(40)).recentFailures(DashboardWindow.parse("1m"), 50))
                .extracting(ListedDelivery::msgKey).containsExactly("s2", "s1");
        assertThat(queriesAt(M2.plusSeconds(40)).recentFailures(DashboardWindow.parse("15m"), 1)).hasSize(1);
        h.pipe(h.status("bizgo", DeliveryState.DEAD_LETTER, Classification.PERMANENT_FAILURE, "64016").setMsgKey("r1")
                .setEventId("r1-DEAD_LETTER").setResolvedAt(M2.plusSeconds(30)).setRecipientMasked("010-****-5678").build());
        assertThat(queriesAt(M2.plusSeconds(40)).recentFailures(DashboardWindow.parse("1m"), 1))
                .extracting(ListedDelivery::msgKey, ListedDelivery::recipientMasked).containsExactly(tuple("r1", "010-****-5678"));
    }

    @Test
    void theNewestFailuresComeFirstWhateverTheirKeysAndSegments() {
        // in one segment of the store (12.5 h each), keys whose order is the opposite of their time
        Instant now = M0.plus(Duration.ofHours(24));
        h.pipe(status(DeliveryState.DEAD_LETTER, M0.plus(Duration.ofHours(13)), "zzz-old", Classification.PERMANENT_FAILURE, "64016",
                "TPL_1", "billing", null));
        h.pipe(status(DeliveryState.DEAD_LETTER, now.minusSeconds(60), "aaa-new", Classification.PERMANENT_FAILURE, "64016",
                "TPL_1", "billing", null));
        h.pipe(status(DeliveryState.DEAD_LETTER, now.minus(Duration.ofHours(3)), "mmm-mid", Classification.PERMANENT_FAILURE, "64016",
                "TPL_1", "billing", null));
        assertThat(queriesAt(now).recentFailures(DashboardWindow.parse("24h"), 1)).extracting(ListedDelivery::msgKey)
                .containsExactly("aaa-new");
        assertThat(queriesAt(now).recentFailures(DashboardWindow.parse("24h"), 50)).extracting(ListedDelivery::msgKey)
                .containsExactly("aaa-new", "mmm-mid", "zzz-old");
    }

    @Test
    void aDayIsKeptAndWhatIsOlderThanTheRetentionIsDropped() {
        h.pipe(status(DeliveryState.PENDING, M0.plusSeconds(1), "old", null, null, "TPL_1", "billing", null));
        Instant dayLater = M0.plus(Duration.ofHours(24)).minusSeconds(1);
        h.pipe(status(DeliveryState.PENDING, dayLater, "new", null, null, "TPL_1", "billing", null));
        assertThat(queriesAt(dayLater).summary(DashboardWindow.parse("24h")).accepted()).as("24 h later, both").isEqualTo(2);
        // 26 h later the first minute is out of every window (Kafka drops its segment once stream time passes the 25 h
        // retention; the store's cache may still hold it until evicted, which no window reaches).
        Instant muchLater = M0.plus(Duration.ofHours(26));
        h.pipe(status(DeliveryState.PENDING, muchLater, "newest", null, null, "TPL_1", "billing", null));
        assertThat(queriesAt(muchLater).summary(DashboardWindow.parse("24h")).accepted()).as("new and newest").isEqualTo(2);
        assertThat(queriesAt(muchLater).breakdown(DashboardWindow.parse("24h"), DashboardQueries.Sort.RATE))
                .extracting(BreakdownRow::accepted).containsExactly(2L);
    }

    /**
     * The chart and the breakdown keep what they made of each bucket and re-read only buckets whose version changed: a
     * repeated question reads no bucket again, and a status arriving late into a completed hour shows at once.
     */
    @Test
    void theChartAndBreakdownReReadOnlyChangedBucketsAndShowLateStatusesAtOnce() {
        Map<String, Integer> reads = new HashMap<>();
        DashboardStoreSource counted = new DashboardStoreSource() {
            @Override
            public <V> ReadOnlyWindowStore<String, V> window(String name) {
                reads.merge(name, 1, Integer::sum);
                return source().window(name);
            }

            @Override
            public <V> ReadOnlyKeyValueStore<String, V> keyValue(String name) {
                return source().keyValue(name);
            }

            @Override
            public <V> List<ReadOnlyKeyValueStore<String, V>> keyValuePerTask(String name) {
                return source().keyValuePerTask(name);
            }

            @Override
            public Set<Integer> partitions() {
                return source().partitions();
            }
        };
        DashboardQueries queries = new DashboardQueries(DashboardShares.of(new LocalDashboard(counted, "/api/deliveries")),
                Clock.fixed(M0.plus(Duration.ofHours(5)).plusSeconds(10), ZoneOffset.UTC));
        DashboardWindow day = DashboardWindow.parse("24h");
        h.pipe(status(DeliveryState.PENDING, M0.plus(Duration.ofHours(1)), "a", null, null, "TPL_1", "billing", null));
        assertThat(queries.breakdown(day, DashboardQueries.Sort.RATE)).extracting(BreakdownRow::accepted).containsExactly(1L);
        assertThat(queries.timeSeries(day).accepted().stream().mapToLong(Long::longValue).sum()).isEqualTo(1);
        reads.clear();
        assertThat(queries.breakdown(day, DashboardQueries.Sort.RATE)).extracting(BreakdownRow::accepted).containsExactly(1L);
        assertThat(queries.timeSeries(day).accepted().stream().mapToLong(Long::longValue).sum()).isEqualTo(1);
        assertThat(reads).as("nothing changed: no bucket is read again").isEmpty();

        // late into a completed hour, and into the hour in progress: both at once
        h.pipe(status(DeliveryState.PENDING, M0.plus(Duration.ofHours(2)), "b", null, null, "TPL_1", "billing", null));
        h.pipe(status(DeliveryState.PENDING, M0.plus(Duration.ofHours(5)), "c", null, null, "TPL_1", "billing", null));
        assertThat(queries.breakdown(day, DashboardQueries.Sort.RATE)).extracting(BreakdownRow::accepted).containsExactly(3L);
        List<Long> accepted = queries.timeSeries(day).accepted();
        assertThat(accepted.stream().mapToLong(Long::longValue).sum()).isEqualTo(3);
        assertThat(accepted.get(accepted.size() - 1)).as("the minute in progress").isEqualTo(1);
        assertThat(reads).as("one key range per store for the changed buckets")
                .containsEntry(DashboardStores.HOURS, 1).containsEntry(DashboardStores.TOTALS, 1);
        assertThat(queries.summary(day).accepted()).isEqualTo(3);
    }

    @Test
    void aDayOfTilesIsExactToTheMinuteAndADayOfBreakdownIsWholeHours() {
        // At 00:05:30 the next day the tiles' 24 h window starts at 00:06; the breakdown's, at the top of the hour 23
        // hours ago (01:00). Failures at 00:05 (outside both), 00:10 (tiles only), 01:05, 03:59, 23:50 and 00:02 the next day.
        Instant now = M0.plus(Duration.ofHours(24)).plus(Duration.ofMinutes(5)).plusSeconds(30);
        int n = 0;
        for (Duration offset : List.of(Duration.ofMinutes(5), Duration.ofMinutes(10), Duration.ofMinutes(65), Duration.ofMinutes(239),
                Duration.ofMinutes(23 * 60 + 50), Duration.ofHours(24).plusMinutes(2))) {
            h.pipe(status(DeliveryState.DEAD_LETTER, M0.plus(offset), "d" + (n++), Classification.PERMANENT_FAILURE, "64016", "TPL_1",
                    "billing", null));
        }
        DashboardQueries queries = queriesAt(now);
        DashboardWindow day = DashboardWindow.parse("24h");
        assertThat(queries.summary(day).failed()).as("tiles").isEqualTo(5);
        assertThat(queries.timeSeries(day).failed().stream().mapToLong(Long::longValue).sum()).as("chart").isEqualTo(5);
        assertThat(queries.recentFailures(day, 50)).as("the list").hasSize(5);
        assertThat(queries.breakdown(day, DashboardQueries.Sort.RATE)).extracting(BreakdownRow::failed).as("breakdown").containsExactly(4L);
        assertThat(queries.failures(day, 10)).extracting(FailureCode::count).as("failure codes").containsExactly(4L);
        // Up to an hour, the breakdown is exact to the minute too: 23:06 to 00:05 holds 23:50 and 00:02.
        assertThat(queries.breakdown(DashboardWindow.parse("1h"), DashboardQueries.Sort.RATE)).extracting(BreakdownRow::failed)
                .containsExactly(2L);
    }


    @Test
    void anEmptyDashboardSaysZeroAndNoRate() {
        Summary empty = queriesAt(M0).summary(DashboardWindow.parse("1h"));
        assertThat(List.of(empty.accepted(), empty.delivered(), empty.failed(), empty.stuckNow())).containsOnly(0L);
        assertThat(empty.deliveryRate()).isNull();
        assertThat(queriesAt(M0).breakdown(DashboardWindow.DEFAULT, DashboardQueries.Sort.RATE)).isEmpty();
    }
}
