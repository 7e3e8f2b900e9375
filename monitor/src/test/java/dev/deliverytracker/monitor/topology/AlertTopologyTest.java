package dev.deliverytracker.monitor.topology;

import dev.deliverytracker.monitor.state.ProviderActivity;
import dev.deliverytracker.events.DeliveryStatus;
import dev.deliverytracker.events.Channel;
import dev.deliverytracker.events.ChannelAttempt;
import dev.deliverytracker.events.AlertRule;
import dev.deliverytracker.events.AlertSeverity;
import dev.deliverytracker.events.AlertState;
import dev.deliverytracker.events.Classification;
import dev.deliverytracker.events.DeliveryAlert;
import dev.deliverytracker.events.DeliveryState;
import dev.deliverytracker.monitor.rules.AlertRules;
import dev.deliverytracker.schemas.topics.DeadRecordHeaders;
import dev.deliverytracker.schemas.topics.TopicCatalogue;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class AlertTopologyTest {

    private static final Instant START = Instant.parse("2026-12-02T03:00:00Z");
    private static final Duration TICK = Duration.ofSeconds(5);
    private AlertHarness h;

    private AlertHarness harness(Map<String, ?> ruleOverrides) {
        h = new AlertHarness(AlertTopologyConfig.defaults(TopicCatalogue.defaults(), AlertRules.parse(ruleOverrides, Set.of())), START);
        return h;
    }

    @AfterEach
    void close() {
        if (h != null) {
            h.close();
        }
    }

    @Test
    void theFirstAccountFailureFiresAtOnceAndResolvesOnlyAfterDeliveriesSucceedForResolveAfter() {
        harness(Map.of());
        h.pipe(h.delivered("bizgo"));
        h.pipe(h.failed("bizgo", "64008", Classification.ACCOUNT_FAILURE));

        List<DeliveryAlert> fired = h.alerts(); // before any punctuation: no window to fill, no minimum count
        assertThat(fired).hasSize(1);
        DeliveryAlert alert = fired.get(0);
        assertThat(alert.getRule()).isEqualTo(AlertRule.ACCOUNT_FAILURE);
        assertThat(alert.getState()).isEqualTo(AlertState.FIRING);
        assertThat(alert.getSeverity()).isEqualTo(AlertSeverity.CRITICAL);
        assertThat(alert.getLabels()).isEqualTo(Map.of("provider", "bizgo"));
        assertThat(alert.getCount()).isEqualTo(1);
        assertThat(alert.getCode()).isEqualTo("64008");
        assertThat(alert.getSampleMsgKeys()).hasSize(1);
        assertThat(alert.getSummary()).contains("bizgo").contains("64008");
        assertThat(alert.getDescription()).contains("since 2026-12-02T03:00:00Z").contains("account");
        assertThat(alert.getLookupUrl()).isEqualTo("http://localhost:8083/v1/deliveries/" + alert.getSampleMsgKeys().get(0));
        assertThat(alert.getSequence()).isEqualTo(1);
        assertThat(alert.getEventId()).isEqualTo(alert.getFingerprint() + "-1");

        for (int i = 0; i < 5; i++) {
            h.pipe(h.failed("bizgo", "64008", Classification.ACCOUNT_FAILURE));
        }
        h.advance(TICK);
        h.assertOutputEmpty("while more of the same failures arrive (not a material change)");

        h.advance(Duration.ofMinutes(1));
        h.pipe(h.delivered("bizgo"));
        h.advance(Duration.ofMinutes(3));
        h.assertOutputEmpty("after a success, but within resolve-after of the last failure");

        h.advance(Duration.ofMinutes(1).plus(TICK));
        List<DeliveryAlert> resolved = h.alerts();
        assertThat(resolved).hasSize(1);
        assertThat(resolved.get(0).getState()).isEqualTo(AlertState.RESOLVED);
        assertThat(resolved.get(0).getFingerprint()).isEqualTo(alert.getFingerprint());
        assertThat(resolved.get(0).getStartsAt()).isEqualTo(alert.getStartsAt());
        assertThat(resolved.get(0).getEndsAt()).isNotNull();
        assertThat(resolved.get(0).getSequence()).isEqualTo(2);

        h.advance(Duration.ofMinutes(10));
        h.assertOutputEmpty("after the resolve");
    }

    @Test
    void withoutASuccessTheAccountFailureKeepsFiring() {
        harness(Map.of());
        h.pipe(h.failed("bizgo", "64008", Classification.ACCOUNT_FAILURE));
        assertThat(h.alerts()).extracting(DeliveryAlert::getState).containsExactly(AlertState.FIRING);
        h.advance(Duration.ofMinutes(30));
        h.assertOutputEmpty("with no delivery since: nothing proves the account works again");
    }

    @Test
    void aSendRejectedWithAMisconfigurationCodeIsAnAccountFailure() {
        harness(Map.of());
        h.pipe(h.failed("bizgo", "A110", Classification.REJECTED));
        List<DeliveryAlert> fired = h.alerts();
        assertThat(fired).extracting(DeliveryAlert::getRule).containsExactly(AlertRule.ACCOUNT_FAILURE);
        h.pipe(h.failed("other", "A999", Classification.REJECTED));
        h.advance(TICK);
        h.assertOutputEmpty("a rejection with a code not in rejected-codes");
    }

    @Test
    void aGrowingAccountFailureIsUpdatedOnceItsCountDoubles() {
        harness(Map.of());
        h.pipe(h.failed("bizgo", "64008", Classification.ACCOUNT_FAILURE));
        assertThat(h.alerts()).hasSize(1);
        for (int i = 0; i < 10; i++) {
            h.pipe(h.failed("bizgo", "64008", Classification.ACCOUNT_FAILURE));
        }
        List<DeliveryAlert> updates = h.alerts();
        assertThat(updates).hasSize(1);
        assertThat(updates.get(0).getState()).isEqualTo(AlertState.FIRING);
        assertThat(updates.get(0).getCount()).isEqualTo(11);
        assertThat(updates.get(0).getSequence()).isEqualTo(2);
        h.advance(TICK);
        h.assertOutputEmpty("after the update");
    }

    @Test
    void anAlimTalkAndItsSmsFallbackBothRefusedCountAsOneMessage() {
        harness(Map.of());
        ChannelAttempt alimtalk = ChannelAttempt.newBuilder().setChannel(Channel.ALIMTALK).setCode("64008")
                .setClassification(Classification.ACCOUNT_FAILURE).setReportedAt(h.now()).build();
        ChannelAttempt sms = ChannelAttempt.newBuilder(alimtalk).setChannel(Channel.SMS).build();
        for (int i = 0; i < 3; i++) {
            DeliveryStatus fallback = h.status("bizgo", DeliveryState.FALLBACK, Classification.ACCOUNT_FAILURE, "64008")
                    .setAttempts(List.of(alimtalk)).build();
            h.pipe(fallback);
            h.pipe(DeliveryStatus.newBuilder(fallback).setEventId(fallback.getMsgKey() + "-final").setStatus(DeliveryState.DEAD_LETTER)
                    .setPreviousStatus(DeliveryState.FALLBACK).setChannel(Channel.SMS).setAttempts(List.of(alimtalk, sms)).build());
        }
        h.pipe(h.failed("bizgo", "64008", Classification.ACCOUNT_FAILURE)); // an SMS-only message: one more
        assertThat(h.alerts()).extracting(DeliveryAlert::getRule).containsExactly(AlertRule.ACCOUNT_FAILURE);
        ProviderActivity activity = h.driver.<String, ProviderActivity>getKeyValueStore(AlertEvaluator.ACTIVITY_STORE).get("bizgo");
        assertThat(activity.getAccountFailures()).as("4 messages, not 7 channel attempts").isEqualTo(4);
        h.assertOutputEmpty("after the alert");
    }

    @Test
    void oneSuspendedAccountMakesOnePageNotOnePerTemplateAndOrigin() {
        harness(Map.of());
        for (int i = 0; i < 50; i++) {
            h.pipe(h.failed("bizgo", "64008", Classification.ACCOUNT_FAILURE));
        }
        h.advance(TICK);
        List<DeliveryAlert> all = h.alerts();
        assertThat(all).extracting(DeliveryAlert::getRule).containsOnly(AlertRule.ACCOUNT_FAILURE);
        assertThat(all.stream().map(DeliveryAlert::getFingerprint).distinct()).hasSize(1);
    }

    @Test
    void aFailureRateFiresAtTheThresholdOnlyWithMinSamplesPerChannelTemplateAndOrigin() {
        harness(Map.of());
        for (int i = 0; i < 15; i++) {
            h.pipe(h.delivered("bizgo"));
        }
        for (int i = 0; i < 4; i++) {
            h.pipe(h.failed("bizgo", "64016", Classification.PERMANENT_FAILURE));
        }
        h.advance(TICK);
        h.assertOutputEmpty("with 19 settled, under min-samples (21 % failed)");

        h.pipe(h.failed("bizgo", "64016", Classification.PERMANENT_FAILURE)); // 5 of 20: 25 %
        h.advance(TICK);
        List<DeliveryAlert> fired = h.alerts();
        assertThat(fired).extracting(DeliveryAlert::getRule).containsOnly(AlertRule.FAILURE_RATE);
        assertThat(fired).extracting(a -> new TreeSet<>(a.getLabels().keySet()).toString())
                .containsExactlyInAnyOrder("[channel, provider]", "[provider, templateCode]", "[origin, provider]");
        DeliveryAlert byChannel = fired.stream().filter(a -> a.getLabels().containsKey("channel")).findFirst().orElseThrow();
        assertThat(byChannel.getLabels()).containsEntry("channel", "ALIMTALK").containsEntry("provider", "bizgo");
        assertThat(byChannel.getValue()).isEqualTo(0.25);
        assertThat(byChannel.getThreshold()).isEqualTo(0.2);
        assertThat(byChannel.getCount()).isEqualTo(5);
        assertThat(byChannel.getTotal()).isEqualTo(20);
        assertThat(byChannel.getCode()).isEqualTo("64016");
        assertThat(byChannel.getSampleMsgKeys()).hasSize(5);
        assertThat(byChannel.getSummary()).contains("25.0 %").contains("bizgo channel ALIMTALK");
        h.advance(TICK);
        h.assertOutputEmpty("on the next evaluation of the same numbers");
    }

    @Test
    void aRateHoveringBetweenTheLinesDoesNotFlapAndResolvesBelowTheLowerOne() {
        harness(Map.of("failure-rate.dimensions", "channel"));
        for (int i = 0; i < 10; i++) {
            h.pipe(h.delivered("bizgo"));
            h.pipe(h.failed("bizgo", "64016", Classification.PERMANENT_FAILURE));
        }
        h.advance(TICK);
        assertThat(h.alerts()).extracting(DeliveryAlert::getState).containsExactly(AlertState.FIRING);

        for (int i = 0; i < 47; i++) {
            h.pipe(h.delivered("bizgo")); // 10 of 67: 14.9 %, under the threshold, above resolve-below
        }
        h.advance(TICK);
        h.advance(TICK);
        h.assertOutputEmpty("between resolve-below (10 %) and the threshold (20 %)");

        for (int i = 0; i < 34; i++) {
            h.pipe(h.delivered("bizgo")); // 10 of 101: 9.9 %
        }
        h.advance(TICK);
        List<DeliveryAlert> resolved = h.alerts();
        assertThat(resolved).extracting(DeliveryAlert::getState).containsExactly(AlertState.RESOLVED);
        assertThat(resolved.get(0).getValue()).isLessThan(0.1);
        h.advance(TICK);
        h.assertOutputEmpty("after the resolve");
    }

    @Test
    void failuresLeaveTheSlidingWindowAndTheAlertResolves() {
        harness(Map.of("failure-rate.dimensions", "channel"));
        for (int i = 0; i < 20; i++) {
            h.pipe(h.failed("bizgo", "22000", Classification.TIMEOUT));
        }
        h.advance(TICK);
        assertThat(h.alerts()).extracting(DeliveryAlert::getState).containsExactly(AlertState.FIRING);
        h.advance(Duration.ofMinutes(6));
        List<DeliveryAlert> resolved = h.alerts();
        assertThat(resolved).extracting(DeliveryAlert::getState).containsExactly(AlertState.RESOLVED);
        h.advance(Duration.ofMinutes(10));
        h.assertOutputEmpty("once resolved");
    }

    @Test
    void aStuckBacklogFiresAtTheCountAndResolvesWhenLateReportsSettleIt() {
        harness(Map.of());
        List<String> stuck = new java.util.ArrayList<>();
        for (int i = 0; i < 9; i++) {
            var s = h.status("bizgo", DeliveryState.STUCK_PENDING, null, null).build();
            stuck.add(s.getMsgKey());
            h.pipe(s);
        }
        h.advance(TICK);
        h.assertOutputEmpty("with 9 stuck (count 10)");
        var tenth = h.status("bizgo", DeliveryState.STUCK_PENDING, null, null).build();
        stuck.add(tenth.getMsgKey());
        h.pipe(tenth);
        h.advance(TICK);
        List<DeliveryAlert> fired = h.alerts();
        assertThat(fired).hasSize(1);
        assertThat(fired.get(0).getRule()).isEqualTo(AlertRule.STUCK_BACKLOG);
        assertThat(fired.get(0).getLabels()).isEqualTo(Map.of("provider", "bizgo", "channel", "ALIMTALK"));
        assertThat(fired.get(0).getCount()).isEqualTo(10);

        var late = h.status("bizgo", DeliveryState.SENT, Classification.DELIVERED, "10000")
                .setMsgKey(stuck.get(3)).setPreviousStatus(DeliveryState.STUCK_PENDING).setLate(true).build();
        h.pipe(late);
        h.advance(TICK);
        List<DeliveryAlert> resolved = h.alerts();
        assertThat(resolved).extracting(DeliveryAlert::getState).containsExactly(AlertState.RESOLVED);
        assertThat(resolved.get(0).getCount()).isEqualTo(9);
        h.advance(TICK);
        h.assertOutputEmpty("after the resolve");
    }

    @Test
    void oneDeliveryStuckLongerThanTheLimitFires() {
        harness(Map.of("stuck-backlog.oldest", "20m"));
        h.pipe(h.status("bizgo", DeliveryState.STUCK_PENDING, null, null).build());
        h.advance(Duration.ofMinutes(19));
        h.assertOutputEmpty("one stuck delivery younger than the limit");
        h.advance(Duration.ofMinutes(1));
        assertThat(h.alerts()).extracting(DeliveryAlert::getRule).containsExactly(AlertRule.STUCK_BACKLOG);
    }

    @Test
    void reportsWentSilentFiresOnTheWallClockWithNoTrafficAndResolvesOnTheNextReport() {
        harness(Map.of());
        h.pipe(h.delivered("bizgo"));
        h.advance(Duration.ofMinutes(1));
        for (int i = 0; i < 3; i++) {
            h.pipe(h.accepted("bizgo"));
        }
        h.advance(Duration.ofMinutes(10).minus(TICK));
        h.assertOutputEmpty("before silence-after (10 min)");
        h.advance(Duration.ofSeconds(10)); // no input at all: only the wall clock moves
        List<DeliveryAlert> fired = h.alerts();
        assertThat(fired).hasSize(1);
        DeliveryAlert silent = fired.get(0);
        assertThat(silent.getRule()).isEqualTo(AlertRule.REPORTS_SILENT);
        assertThat(silent.getSeverity()).isEqualTo(AlertSeverity.CRITICAL);
        assertThat(silent.getCount()).isEqualTo(3);
        assertThat(silent.getDescription()).contains("webhook");
        h.advance(Duration.ofMinutes(5));
        h.assertOutputEmpty("while still silent");

        h.pipe(h.delivered("bizgo"));
        h.advance(TICK);
        assertThat(h.alerts()).extracting(DeliveryAlert::getState).containsExactly(AlertState.RESOLVED);
        h.advance(Duration.ofMinutes(20));
        h.assertOutputEmpty("after the resolve, with no sends");
    }

    @Test
    void tooFewSendsAreNotSilence() {
        harness(Map.of());
        h.pipe(h.accepted("bizgo"));
        h.pipe(h.accepted("bizgo"));
        h.advance(Duration.ofMinutes(30));
        h.assertOutputEmpty("two sends without reports (min-sends 3) are a stuck-delivery matter");
    }

    @Test
    void unmatchedReportsFireAtTheCount() {
        harness(Map.of());
        for (int i = 0; i < 9; i++) {
            h.pipe(h.status("bizgo", DeliveryState.UNMATCHED_REPORT, Classification.DELIVERED, "10000").setPreviousStatus(null).build());
        }
        h.advance(TICK);
        h.assertOutputEmpty("9 unmatched (count 10)");
        h.pipe(h.status("bizgo", DeliveryState.UNMATCHED_REPORT, Classification.DELIVERED, "10000").setPreviousStatus(null).build());
        h.advance(TICK);
        List<DeliveryAlert> fired = h.alerts();
        assertThat(fired).extracting(DeliveryAlert::getRule).containsExactly(AlertRule.UNMATCHED_REPORTS);
        assertThat(fired.get(0).getSampleMsgKeys()).hasSize(5);
        h.advance(Duration.ofMinutes(11));
        assertThat(h.alerts()).extracting(DeliveryAlert::getState).containsExactly(AlertState.RESOLVED);
    }

    @Test
    void thresholdsAreOverriddenPerProvider() {
        harness(Map.of("failure-rate.providers.aligo.min-samples", "2", "failure-rate.dimensions", "channel"));
        h.pipe(h.failed("bizgo", "64016", Classification.PERMANENT_FAILURE));
        h.pipe(h.failed("bizgo", "64016", Classification.PERMANENT_FAILURE));
        h.pipe(h.failed("aligo", "-99", Classification.PERMANENT_FAILURE));
        h.pipe(h.failed("aligo", "-99", Classification.PERMANENT_FAILURE));
        h.advance(TICK);
        List<DeliveryAlert> fired = h.alerts();
        assertThat(fired).hasSize(1);
        assertThat(fired.get(0).getLabels()).containsEntry("provider", "aligo");
    }

    @Test
    void aRestartWithRestoredStateEmitsNoDuplicateAndStillResolvesOnce() {
        harness(Map.of());
        h.pipe(h.failed("bizgo", "64008", Classification.ACCOUNT_FAILURE));
        for (int i = 0; i < 3; i++) {
            h.pipe(h.accepted("bizgo"));
        }
        h.advance(Duration.ofMinutes(11));
        List<DeliveryAlert> before = h.alerts();
        assertThat(before).extracting(DeliveryAlert::getRule).containsExactlyInAnyOrder(AlertRule.ACCOUNT_FAILURE, AlertRule.REPORTS_SILENT);

        h.restart();
        h.advance(Duration.ofMinutes(2));
        h.pipe(h.accepted("bizgo"));
        h.advance(TICK);
        h.assertOutputEmpty("after the restart: both alerts are known to fire already");

        h.pipe(h.delivered("bizgo"));
        h.advance(Duration.ofMinutes(6));
        List<DeliveryAlert> after = h.alerts();
        assertThat(after).extracting(DeliveryAlert::getState).containsOnly(AlertState.RESOLVED);
        assertThat(after).extracting(DeliveryAlert::getRule).containsExactlyInAnyOrder(AlertRule.ACCOUNT_FAILURE, AlertRule.REPORTS_SILENT);
        assertThat(after).extracting(DeliveryAlert::getSequence).containsOnly(2);
        h.advance(Duration.ofMinutes(10));
        h.assertOutputEmpty("after the resolves");
    }

    @Test
    void afterARestartSilenceIsNotJudgedBeforeTheBacklogIsRead() {
        harness(Map.of("reports-silent.silence-after", "1m"));
        for (int i = 0; i < 3; i++) {
            h.pipe(h.accepted("bizgo"));
        }
        h.advance(Duration.ofSeconds(50));
        h.restart();
        h.advance(Duration.ofSeconds(25)); // silent for 75 s by the state, but the task started 25 s ago
        h.assertOutputEmpty("within catch-up-grace of the start");
        h.pipe(h.delivered("bizgo")); // the backlog's report
        h.advance(Duration.ofSeconds(30));
        h.assertOutputEmpty("the report was in the backlog");
    }

    @Test
    void anUnreadableRecordGoesToDeadRecordsWithTheReasonAndTheStreamGoesOn() {
        harness(Map.of());
        h.pipeRaw("k".getBytes(StandardCharsets.UTF_8), new byte[]{0, 0, 0, 0, 42, 1, 2});
        List<TestRecord<byte[], byte[]>> dead = h.deadRecords();
        assertThat(dead).hasSize(1);
        assertThat(new String(dead.get(0).headers().lastHeader(DeadRecordHeaders.STAGE).value(), StandardCharsets.UTF_8))
                .isEqualTo("deserialize");
        assertThat(new String(dead.get(0).headers().lastHeader(DeadRecordHeaders.TOPIC).value(), StandardCharsets.UTF_8))
                .isEqualTo("delivery.status");
        assertThat(dead.get(0).value()).containsExactly(0, 0, 0, 0, 42, 1, 2);
        h.pipe(h.failed("bizgo", "64008", Classification.ACCOUNT_FAILURE));
        assertThat(h.alerts()).hasSize(1);
        h.assertOutputEmpty("after one dead record and one alert");
    }

    @Test
    void nodeAndStoreNamesArePinnedSoARedeployKeepsItsState() {
        harness(Map.of());
        TopologyDescription description = AlertTopology.build(AlertTopologyConfig.defaults(TopicCatalogue.defaults(),
                AlertRules.defaults()), new dev.deliverytracker.schemas.topics.SerdeSettings(
                dev.deliverytracker.schemas.registry.MockSchemaRegistry.scope("names"), true)).describe();
        Set<String> nodes = description.subtopologies().stream().flatMap(s -> s.nodes().stream())
                .map(TopologyDescription.Node::name).collect(Collectors.toCollection(TreeSet::new));
        Set<String> stores = description.subtopologies().stream().flatMap(s -> s.nodes().stream())
                .filter(n -> n instanceof TopologyDescription.Processor)
                .flatMap(n -> ((TopologyDescription.Processor) n).stores().stream()).collect(Collectors.toCollection(TreeSet::new));
        assertThat(nodes).contains(AlertTopology.STATUS_SOURCE, StatusDecoder.NAME, AlertEvaluator.NAME, AlertTopology.ALERTS_SINK,
                AlertTopology.DEAD_RECORDS_SINK, "status-by-provider-repartition-sink", "status-by-provider-repartition-source",
                "dashboard-aggregator");
        assertThat(stores).containsExactlyInAnyOrder("monitor-provider-activity", "monitor-window-buckets", "monitor-stuck-deliveries",
                "monitor-alerts", "dashboard-provider-minutes", "dashboard-provider-hours", "dashboard-row-minutes", "dashboard-row-hours",
                "dashboard-code-minutes", "dashboard-code-hours", "dashboard-bucket-versions", "dashboard-recent-failures", "dashboard-stuck",
                "dashboard-stuck-index", "dashboard-counters");
    }
}
