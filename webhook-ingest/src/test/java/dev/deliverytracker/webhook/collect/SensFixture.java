package dev.deliverytracker.webhook.collect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deliverytracker.events.Channel;
import dev.deliverytracker.events.SendEvent;
import dev.deliverytracker.events.SendOutcome;
import dev.deliverytracker.fakesens.FakeSens;
import dev.deliverytracker.support.sens.SensSignature;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Test helpers: messages accepted by the fake SENS through its signed send API, and their send events. */
final class SensFixture {

    static final String ACCESS = "collector-access-key";
    static final String SECRET = "collector-secret-key";
    static final String SERVICE = "ncp:kkobizmsg:kr:9999:collector";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private SensFixture() {
    }

    /** A clock the test moves: the fake's and the collector's, kept with the test driver's wall clock. */
    static final class MovingClock extends Clock {
        private volatile Instant now;

        MovingClock(Instant start) {
            this.now = start;
        }

        void advance(java.time.Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /** Sends one AlimTalk request to the fake for {@code numbers}; answers each message's msgKey, requestId:messageId. */
    static List<String> accepted(FakeSens sens, Clock clock, String... numbers) throws Exception {
        ObjectNode body = JSON.createObjectNode().put("plusFriendId", "@shop").put("templateCode", "ORDER_SHIPPED");
        for (String number : numbers) {
            body.withArray("messages").addObject().put("countryCode", "82").put("to", number).put("content", "주문이 발송되었습니다");
        }
        String path = "/alimtalk/v2/services/" + SERVICE + "/messages";
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(sens.baseUrl() + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
        new SensSignature(ACCESS, SECRET).headers("POST", path, clock.millis()).forEach(request::header);
        HttpResponse<byte[]> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 202) {
            throw new IllegalStateException("fake SENS answered " + response.statusCode());
        }
        JsonNode answer = JSON.readTree(response.body());
        List<String> keys = new ArrayList<>();
        answer.path("messages").forEach(m -> keys.add(answer.path("requestId").asText() + ":" + m.path("messageId").asText()));
        return keys;
    }

    static SendEvent send(String msgKey, String provider, SendOutcome outcome, Instant acceptedAt) {
        return SendEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setOutcome(outcome).setMsgKey(msgKey)
                .setRequestId("req-" + msgKey).setProvider(provider).setFlow(List.of(Channel.ALIMTALK)).setTemplateCode("ORDER_SHIPPED")
                .setRecipientMasked("010-****-0000").setRecipientHash(null).setOrigin("billing").setRef(null).setAcceptedAt(acceptedAt)
                .setTimeoutMillis(null).setProviderCode("A000").setProviderMessage("성공").build();
    }
}
