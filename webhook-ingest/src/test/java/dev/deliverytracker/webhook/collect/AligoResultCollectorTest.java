package dev.deliverytracker.webhook.collect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deliverytracker.events.Channel;
import dev.deliverytracker.events.ProviderReport;
import dev.deliverytracker.events.SendEvent;
import dev.deliverytracker.events.SendOutcome;
import dev.deliverytracker.fakealigo.FakeAligo;
import dev.deliverytracker.schemas.registry.MockSchemaRegistry;
import dev.deliverytracker.schemas.topics.SerdeSettings;
import dev.deliverytracker.schemas.topics.TopicCatalogue;
import dev.deliverytracker.support.RecipientHash;
import dev.deliverytracker.support.aligo.AligoToken;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The collector with Aligo's history API on Kafka's test driver, against the fake Aligo over real HTTP: Aligo names
 * recipients by number only, so rows are matched to messages by the keyed recipient hash, in position order for a
 * number sent twice; "sending" rows wait; a final rslt is written once.
 */
class AligoResultCollectorTest {

    private static final String KEY = "aligo-key";
    private static final String USER = "aligo-user";
    private static final String HASH_KEY = "a-recipient-hash-key-of-32-bytes";
    private static final Duration PROCESSING = Duration.ofSeconds(10);
    private static final CollectorConfig CONFIG = new CollectorConfig(Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(60),
            Duration.ofMinutes(10), 20, Duration.ofSeconds(30), Duration.ofSeconds(3));
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path state;
    private final Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private final SensFixture.MovingClock clock = new SensFixture.MovingClock(start);
    private final RecipientHash hash = new RecipientHash(HASH_KEY);
    private FakeAligo aligo;
    private TopologyTestDriver driver;
    private TestInputTopic<String, SendEvent> sends;
    private TestOutputTopic<String, ProviderReport> reports;

    @BeforeEach
    void start() {
        aligo = FakeAligo.builder(KEY, USER).clock(clock).processing(PROCESSING).start();
        TopicCatalogue topics = TopicCatalogue.defaults();
        SerdeSettings serdes = new SerdeSettings(MockSchemaRegistry.scope("aligo-collector"), true);
        AligoResultsClient client = new AligoResultsClient(aligo.baseUrl(), aligo.baseUrl(), KEY, USER, hash, Duration.ofSeconds(2));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "aligo-collector-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
        driver = new TopologyTestDriver(CollectorTopology.build(topics, serdes, List.of(new CollectorTopology.Collected(client, CONFIG)),
                new MicrometerCollectorMetrics(new SimpleMeterRegistry())), props, start);
        sends = driver.createInputTopic(topics.sends().name(), Serdes.String().serializer(), topics.sends().valueSerde(serdes).serializer());
        reports = driver.createOutputTopic(topics.reports().name(), Serdes.String().deserializer(), topics.reports().valueSerde(serdes).deserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
        aligo.close();
        MockSchemaRegistry.dropScope("aligo-collector");
    }

    private void advance(Duration by) {
        clock.advance(by);
        driver.advanceWallClockTime(by);
    }

    /** One Aligo request for {@code numbers} through its token and send API; answers the msgKeys mid:N. */
    private List<String> accepted(String... numbers) throws Exception {
        return accepted(false, numbers);
    }

    private List<String> accepted(boolean failover, String... numbers) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String token = new AligoToken(http, aligo.baseUrl(), KEY, USER, Duration.ofHours(1), Duration.ofSeconds(2)).current();
        Map<String, String> form = new LinkedHashMap<>(Map.of("apikey", KEY, "userid", USER, "token", token, "senderkey", "sk",
                "tpl_code", "TPL", "sender", "0212345678"));
        for (int n = 1; n <= numbers.length; n++) {
            form.put("receiver_" + n, numbers[n - 1]);
            form.put("subject_" + n, "TPL");
            form.put("message_" + n, "주문이 발송되었습니다");
            if (failover) {
                form.put("fmessage_" + n, "주문이 발송되었습니다");
            }
        }
        form.put("failover", failover ? "Y" : "N");
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create(aligo.baseUrl() + "/akv10/alimtalk/send/"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(AligoToken.encode(form), StandardCharsets.UTF_8)).build(), HttpResponse.BodyHandlers.ofByteArray());
        JsonNode answer = JSON.readTree(response.body());
        assertThat(answer.path("code").asInt()).as(answer.toString()).isZero();
        List<String> keys = new ArrayList<>();
        for (int n = 1; n <= numbers.length; n++) {
            keys.add(answer.at("/info/mid").asText() + ":" + n);
        }
        for (int n = 0; n < numbers.length; n++) {
            sends.pipeInput(keys.get(n), SendEvent.newBuilder(SensFixture.send(keys.get(n), "aligo", SendOutcome.ACCEPTED, start))
                    .setRecipientHash(hash.of(numbers[n])).build(), start);
        }
        return keys;
    }

    @Test
    void rowsAreMatchedByTheKeyedHashOfTheirNumberAndEachFinalResultIsWrittenOnce() throws Exception {
        // the same number twice in one request: matched in position order
        List<String> keys = accepted("01012345600", "01012345688", "01012345600", "01012345691", "01012345697");
        advance(Duration.ofSeconds(6));
        assertThat(aligo.historyCalls()).as("one history call for the whole request").isEqualTo(1);
        assertThat(reports.isEmpty()).as("all still sending").isTrue();
        advance(PROCESSING);
        Map<String, ProviderReport> written = reports.readKeyValuesToMap();
        assertThat(written).containsOnlyKeys(keys.get(0), keys.get(1), keys.get(2), keys.get(3));
        assertThat(written.get(keys.get(0)).getReportCode()).isEqualTo("0");
        assertThat(written.get(keys.get(2)).getReportCode()).isEqualTo("0");
        assertThat(written.get(keys.get(1)).getReportCode()).isEqualTo("A");
        assertThat(written.get(keys.get(3)).getReportCode()).isEqualTo("M");
        assertThat(written.get(keys.get(3)).getReportText()).isEqualTo("템플릿을 찾을 수 없음");
        assertThat(written.get(keys.get(0)).getProvider()).isEqualTo("aligo");
        assertThat(written.get(keys.get(0)).getChannel()).isEqualTo(Channel.ALIMTALK);
        assertThat(written.get(keys.get(0)).getReportTime()).as("rsltdate, Korea's time").isEqualTo(start.plus(PROCESSING));
        for (int i = 0; i < 11 * 6; i++) {
            advance(Duration.ofSeconds(10));
        }
        assertThat(reports.isEmpty()).as("the one still sending is given up, never reported; nothing is written twice").isTrue();
    }

    @Test
    void aFailedAlimTalkWithAFailoverWaitsForItsSmsAndReportsBothInOrder() throws Exception {
        List<String> keys = acceptedWithFailover("01012345681", "01012345686");
        advance(Duration.ofSeconds(6));
        advance(PROCESSING);
        assertThat(reports.isEmpty()).as("the AlimTalk failed, the fail-over SMS is still being sent: nothing yet").isTrue();
        advance(PROCESSING);
        advance(Duration.ofSeconds(30));
        List<org.apache.kafka.streams.test.TestRecord<String, ProviderReport>> written = reports.readRecordsToList();
        assertThat(written).extracting(r -> r.key() + " " + r.value().getChannel() + " " + r.value().getReportCode())
                .containsExactly(keys.get(0) + " ALIMTALK A", keys.get(0) + " SMS SMS_OK", keys.get(1) + " ALIMTALK A", keys.get(1) + " SMS SMS_FAIL");
        advance(Duration.ofMinutes(5));
        assertThat(reports.isEmpty()).as("nothing more was written").isTrue();
    }

    private List<String> acceptedWithFailover(String... numbers) throws Exception {
        return accepted(true, numbers);
    }

    @Test
    void aPlainSmsIsReadFromTheSmsApiAndMatchedByNumberHash() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        Map<String, String> form = new LinkedHashMap<>(Map.of("key", KEY, "user_id", USER, "sender", "0212345678", "cnt", "2",
                "rec_1", "01012345607", "msg_1", "안내", "rec_2", "01012345688", "msg_2", "안내"));
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create(aligo.baseUrl() + "/send_mass/"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(AligoToken.encode(form), StandardCharsets.UTF_8)).build(), HttpResponse.BodyHandlers.ofByteArray());
        String msgId = JSON.readTree(response.body()).path("msg_id").asText();
        List<String> keys = List.of("sms:" + msgId + ":1", "sms:" + msgId + ":2");
        List<String> numbers = List.of("01012345607", "01012345688");
        for (int i = 0; i < 2; i++) {
            sends.pipeInput(keys.get(i), SendEvent.newBuilder(SensFixture.send(keys.get(i), "aligo", SendOutcome.ACCEPTED, start))
                    .setRecipientHash(hash.of(numbers.get(i))).build(), start);
        }
        advance(Duration.ofSeconds(6));
        assertThat(reports.isEmpty()).as("still being sent").isTrue();
        advance(PROCESSING);
        assertThat(reports.readKeyValuesToList()).extracting(kv -> kv.key + " " + kv.value.getChannel() + " " + kv.value.getReportCode())
                .containsExactlyInAnyOrder(keys.get(0) + " SMS SMS_OK", keys.get(1) + " SMS SMS_FAIL");
        advance(Duration.ofMinutes(5));
        assertThat(reports.isEmpty()).as("nothing more was written").isTrue();
    }

    @Test
    void anOutageOrRateLimitPausesTheCallsAndTheCollectorCatchesUpWithNothingLostOrWrittenTwice() throws Exception {
        aligo.failNextHistoryCalls(3, 429);
        List<String> keys = accepted("01012345600", "01012345601");
        advance(Duration.ofSeconds(6));
        advance(PROCESSING); // results final, but the history answers 429: paused, doubling
        assertThat(reports.isEmpty()).isTrue();
        for (int i = 0; i < 30; i++) {
            advance(Duration.ofSeconds(1));
        }
        assertThat(aligo.historyCalls()).as("three refused, then answered").isGreaterThanOrEqualTo(4);
        assertThat(reports.readKeyValuesToList()).extracting(kv -> kv.key).containsExactlyInAnyOrderElementsOf(keys);
        advance(Duration.ofMinutes(5));
        assertThat(reports.isEmpty()).as("nothing more was written").isTrue();
    }

    @Test
    void aSendWithoutARecipientHashOrWithAForeignKeyIsNotCollected() {
        sends.pipeInput("123:1", SendEvent.newBuilder(SensFixture.send("123:1", "aligo", SendOutcome.ACCEPTED, start)).setRecipientHash(null).build(), start);
        sends.pipeInput("R1:M1", SendEvent.newBuilder(SensFixture.send("R1:M1", "aligo", SendOutcome.ACCEPTED, start))
                .setRecipientHash(hash.of("01012345600")).build(), start);
        advance(Duration.ofMinutes(1));
        assertThat(aligo.historyCalls()).isZero();
        assertThat(reports.isEmpty()).isTrue();
    }
}
