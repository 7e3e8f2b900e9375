package dev.deliverytracker.webhook.collect;

import dev.deliverytracker.events.Channel;
import dev.deliverytracker.events.ProviderReport;
import dev.deliverytracker.events.ReportSource;
import dev.deliverytracker.events.SendEvent;
import dev.deliverytracker.events.SendOutcome;
import dev.deliverytracker.fakesens.FakeSens;
import dev.deliverytracker.schemas.registry.MockSchemaRegistry;
import dev.deliverytracker.schemas.topics.SerdeSettings;
import dev.deliverytracker.schemas.topics.TopicCatalogue;
import dev.deliverytracker.support.sens.SensSignature;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The collector's logic on Kafka's own test driver, against the fake SENS over real HTTP, with the driver's wall clock,
 * the fake's and the collector's moved together: when it asks, what it writes, and that it writes nothing more.
 */
class SensResultCollectorTest {

    private static final Duration PROCESSING = Duration.ofSeconds(10);
    private static final CollectorConfig CONFIG = new CollectorConfig(Duration.ofSeconds(1),
            Duration.ofSeconds(5), Duration.ofSeconds(60), Duration.ofMinutes(10), 50, Duration.ofSeconds(30), Duration.ofSeconds(3));

    @TempDir
    Path state;
    private final Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private final SensFixture.MovingClock clock = new SensFixture.MovingClock(start);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private FakeSens sens;
    private TopologyTestDriver driver;
    private TestInputTopic<String, SendEvent> sends;
    private TestOutputTopic<String, ProviderReport> reports;

    @BeforeEach
    void start() {
        sens = FakeSens.builder(SensFixture.ACCESS, SensFixture.SECRET, SensFixture.SERVICE).clock(clock).processing(PROCESSING)
                .retention(Duration.ofMinutes(5)).start();
        TopicCatalogue topics = TopicCatalogue.defaults();
        SerdeSettings serdes = new SerdeSettings(MockSchemaRegistry.scope("sens-collector"), true);
        SensResultsClient client = new SensResultsClient(sens.baseUrl(), SensFixture.SERVICE, new SensSignature(SensFixture.ACCESS,
                SensFixture.SECRET), Duration.ofSeconds(2), clock);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "sens-collector-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
        driver = new TopologyTestDriver(CollectorTopology.build(topics, serdes, List.of(new CollectorTopology.Collected(client, CONFIG)), new MicrometerCollectorMetrics(meters)),
                props, start);
        sends = driver.createInputTopic(topics.sends().name(), Serdes.String().serializer(), topics.sends().valueSerde(serdes).serializer());
        reports = driver.createOutputTopic(topics.reports().name(), Serdes.String().deserializer(), topics.reports().valueSerde(serdes).deserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
        sens.close();
        MockSchemaRegistry.dropScope("sens-collector");
    }

    private void advance(Duration by) {
        clock.advance(by);
        driver.advanceWallClockTime(by);
    }

    private KeyValueStore<String, PendingMessage> pending() {
        return driver.getKeyValueStore(ResultCollector.storeName("ncp-sens"));
    }

    private double calls(String outcome) {
        return meters.find("webhook.collector.calls").tag("outcome", outcome).counters().stream().mapToDouble(c -> c.count()).sum();
    }

    @Test
    void asksOncePerRequestWritesEachFinalResultOnceAndKeepsAskingOnlyAboutThoseStillProcessing() throws Exception {
        List<String> keys = SensFixture.accepted(sens, clock, "01012345600", "01012345688", "01012345691", "01012345696");
        keys.forEach(k -> sends.pipeInput(k, SensFixture.send(k, "ncp-sens", SendOutcome.ACCEPTED, start), start));

        advance(Duration.ofSeconds(4));
        assertThat(sens.resultCalls()).as("not before first-ask (5 s)").isZero();
        advance(Duration.ofSeconds(2));
        assertThat(sens.resultCalls()).as("one call for the request's four messages").isEqualTo(1);
        assertThat(reports.isEmpty()).as("all still processing").isTrue();

        advance(Duration.ofSeconds(3));
        assertThat(sens.resultCalls()).as("asked again 5 s later, not before").isEqualTo(1);
        advance(Duration.ofSeconds(3));
        assertThat(sens.resultCalls()).isEqualTo(2);
        Map<String, ProviderReport> written = reports.readKeyValuesToMap();
        assertThat(written).containsOnlyKeys(keys.get(0), keys.get(1), keys.get(2));
        assertThat(written.get(keys.get(0)).getReportCode()).isEqualTo("0000");
        assertThat(written.get(keys.get(1)).getReportCode()).isEqualTo("3018");
        assertThat(written.get(keys.get(2)).getReportCode()).isEqualTo("3015");
        ProviderReport delivered = written.get(keys.get(0));
        assertThat(delivered.getProvider()).isEqualTo("ncp-sens");
        assertThat(delivered.getChannel()).isEqualTo(Channel.ALIMTALK);
        assertThat(delivered.getSource()).isEqualTo(ReportSource.POLL);
        assertThat(delivered.getReportTime()).as("SENS's completeTime, Korea's local time read as such").isEqualTo(start.plus(PROCESSING));
        assertThat(written.get(keys.get(1)).getReportText()).isEqualTo("메시지를 전송할 수 없음");
        assertThat(pending().get(keys.get(0)).settled()).as("reported: marked settled, so a re-published send is not collected again").isTrue();
        assertThat(pending().get(keys.get(3)).settled()).as("still processing: kept").isFalse();

        // the one left never settles: asked with a growing pause, then after the fake's retention (5 min) SENS has no
        // records; after give-up-after (10 min) it is dropped and counted
        for (int i = 0; i < 11 * 6; i++) {
            advance(Duration.ofSeconds(10));
        }
        assertThat(pending().get(keys.get(3))).as("given up").isNull();
        assertThat(pending().get(keys.get(0))).as("the settled mark is forgotten after give-up-after too").isNull();
        assertThat(meters.find("webhook.collector.gave.up").counter().count()).isEqualTo(1);
        assertThat(calls("no-records")).as("asked after the retention, until giving up").isPositive();
        assertThat(sens.resultCalls()).as("a growing pause, at most one a minute: not one a second").isLessThan(20);
        assertThat(reports.isEmpty()).as("nothing more was written").isTrue();
    }

    @Test
    void oneUnreadableResultDoesNotHoldBackTheOthersOfItsRequestAndIsGivenUpInTheEnd() throws Exception {
        sens.breakResultOf("01012345611");
        List<String> keys = SensFixture.accepted(sens, clock, "01012345610", "01012345611");
        keys.forEach(k -> sends.pipeInput(k, SensFixture.send(k, "ncp-sens", SendOutcome.ACCEPTED, start), start));
        advance(PROCESSING.plusSeconds(1));
        assertThat(reports.readKeyValuesToList()).singleElement().satisfies(r -> assertThat(r.key).isEqualTo(keys.get(0)));
        assertThat(calls("malformed-item")).isEqualTo(1);
        for (int i = 0; i < 11 * 6; i++) {
            advance(Duration.ofSeconds(10));
        }
        assertThat(pending().get(keys.get(1))).as("given up after give-up-after").isNull();
        assertThat(meters.find("webhook.collector.gave.up").counter().count()).isEqualTo(1);
        assertThat(reports.isEmpty()).as("nothing more was written").isTrue();
    }

    @Test
    void otherProvidersRejectedSendsAndDuplicatesAreIgnoredAndAnUnusableKeyIsCounted() throws Exception {
        List<String> keys = SensFixture.accepted(sens, clock, "01012345600");
        sends.pipeInput(keys.get(0), SensFixture.send(keys.get(0), "ncp-sens", SendOutcome.ACCEPTED, start), start);
        sends.pipeInput(keys.get(0), SensFixture.send(keys.get(0), "ncp-sens", SendOutcome.ACCEPTED, start), start);
        sends.pipeInput("bizgo-key", SensFixture.send("bizgo-key", "bizgo", SendOutcome.ACCEPTED, start), start);
        sends.pipeInput("req-1", SensFixture.send(null, "ncp-sens", SendOutcome.REJECTED, start), start);
        sends.pipeInput("no-colon", SensFixture.send("no-colon", "ncp-sens", SendOutcome.ACCEPTED, start), start);
        assertThat(meters.find("webhook.collector.unusable.sends").counter().count()).isEqualTo(1);
        advance(PROCESSING.plusSeconds(1));
        assertThat(reports.readKeyValuesToList()).singleElement().satisfies(r -> assertThat(r.key).isEqualTo(keys.get(0)));
        assertThat(sens.resultCalls()).isEqualTo(1);
        sends.pipeInput(keys.get(0), SensFixture.send(keys.get(0), "ncp-sens", SendOutcome.ACCEPTED, start), start);
        advance(Duration.ofMinutes(5));
        assertThat(reports.isEmpty()).as("nothing more was written, not even for the send published again after its result").isTrue();
        assertThat(sens.resultCalls()).as("nothing left to ask about").isEqualTo(1);
    }

    @Test
    void aRateLimitOrAnOutagePausesEveryCallAndAMalformedAnswerIsCountedThenNothingIsLostOrWrittenTwice() throws Exception {
        List<String> keys = SensFixture.accepted(sens, clock, "01012345600", "01012345601");
        keys.forEach(k -> sends.pipeInput(k, SensFixture.send(k, "ncp-sens", SendOutcome.ACCEPTED, start), start));
        List<String> second = SensFixture.accepted(sens, clock, "01012345602");
        sends.pipeInput(second.get(0), SensFixture.send(second.get(0), "ncp-sens", SendOutcome.ACCEPTED, start), start);
        sens.failNextResultCalls(2, 429);
        advance(PROCESSING.plusSeconds(1)); // both requests due, their results final
        assertThat(sens.resultCalls()).as("a 429 stops the round: the other request is not asked").isEqualTo(1);
        advance(Duration.ofSeconds(1));
        assertThat(sens.resultCalls()).as("paused 1 s, then 429 again").isEqualTo(2);
        advance(Duration.ofSeconds(1));
        assertThat(sens.resultCalls()).as("paused 2 s now").isEqualTo(2);
        sens.malformNextResultCalls(1);
        advance(Duration.ofSeconds(1));
        assertThat(calls("malformed")).isEqualTo(1);
        assertThat(calls("unavailable")).isEqualTo(2);
        for (int i = 0; i < 30; i++) {
            advance(Duration.ofSeconds(1));
        }
        List<String> written = reports.readKeyValuesToList().stream().map(kv -> kv.key).collect(Collectors.toList());
        assertThat(written).containsExactlyInAnyOrder(keys.get(0), keys.get(1), second.get(0));
        advance(Duration.ofMinutes(2));
        assertThat(reports.isEmpty()).as("nothing more was written").isTrue();
    }
}
