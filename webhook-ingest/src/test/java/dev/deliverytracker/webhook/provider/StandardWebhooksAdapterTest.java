package dev.deliverytracker.webhook.provider;

import dev.deliverytracker.events.Channel;
import dev.deliverytracker.events.ProviderReport;
import dev.deliverytracker.webhook.provider.standard.FieldMapping;
import dev.deliverytracker.webhook.provider.standard.StandardWebhooksAdapter;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Standard Webhooks receiver, pinned to the specification's own example. */
class StandardWebhooksAdapterTest {

    // standardwebhooks.com specification example: secret, id, timestamp, payload and the expected signature
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private static final String TIMESTAMP = "1614265330";
    private static final String PAYLOAD = "{\"test\": 2432232314}";
    private static final String SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
    private static final Instant AT = Instant.ofEpochSecond(1614265330);

    private static final FieldMapping MAPPING = FieldMapping.of("inhouse", Map.of(
            "msg-key", "/data/messageId", "delivered", "/data/delivered", "code", "/data/reason",
            "text", "/data/detail", "channel", "/data/channel"));

    private static StandardWebhooksAdapter adapter(List<String> secrets, Instant now) {
        return new StandardWebhooksAdapter("inhouse", secrets, Duration.ofMinutes(5), MAPPING, Clock.fixed(now, ZoneOffset.UTC));
    }

    @Test
    void verifiesTheSpecificationsExample() {
        adapter(List.of(SECRET), AT).verify(request(ID, TIMESTAMP, SIGNATURE, PAYLOAD));
        // several signatures in one header: any valid one is enough; a rotated-out secret does no harm
        adapter(List.of("whsec_" + "c2Vjb25k", SECRET), AT)
                .verify(request(ID, TIMESTAMP, "v1,AAAA v2,zzz " + SIGNATURE, PAYLOAD));
    }

    @Test
    void refusesTamperingAndStaleTimestamps() {
        StandardWebhooksAdapter adapter = adapter(List.of(SECRET), AT);
        assertRejected(() -> adapter.verify(request(ID, TIMESTAMP, SIGNATURE, PAYLOAD.replace("2432232314", "1"))),
                WebhookRejection.Reason.BAD_SIGNATURE);
        assertRejected(() -> adapter.verify(request("msg_other", TIMESTAMP, SIGNATURE, PAYLOAD)), WebhookRejection.Reason.BAD_SIGNATURE);
        assertRejected(() -> adapter.verify(request(ID, "1614265331", SIGNATURE, PAYLOAD)), WebhookRejection.Reason.BAD_SIGNATURE);
        assertRejected(() -> adapter.verify(request(ID, TIMESTAMP, "v2," + SIGNATURE.substring(3), PAYLOAD)), WebhookRejection.Reason.BAD_SIGNATURE);
        assertRejected(() -> adapter.verify(request(ID, TIMESTAMP, null, PAYLOAD)), WebhookRejection.Reason.BAD_SIGNATURE);
        assertRejected(() -> adapter(List.of(SECRET), AT.plusSeconds(301)).verify(request(ID, TIMESTAMP, SIGNATURE, PAYLOAD)),
                WebhookRejection.Reason.STALE_TIMESTAMP);
        adapter(List.of(SECRET), AT.plusSeconds(300)).verify(request(ID, TIMESTAMP, SIGNATURE, PAYLOAD));
    }

    @Test
    void mapsTheSendersFieldsIntoAReport() {
        StandardWebhooksAdapter adapter = adapter(List.of(SECRET), AT);
        ProviderReport delivered = adapter.parse(request(ID, TIMESTAMP, SIGNATURE,
                "{\"data\":{\"messageId\":\"m-1\",\"delivered\":true,\"channel\":\"sms\",\"detail\":\"ok\"}}"));
        assertThat(delivered.getMsgKey()).isEqualTo("m-1");
        assertThat(delivered.getReportCode()).isEqualTo(StandardWebhooksAdapter.DELIVERED);
        assertThat(delivered.getChannel()).isEqualTo(Channel.SMS);
        assertThat(delivered.getReportText()).isEqualTo("ok");
        assertThat(delivered.getProvider()).isEqualTo("inhouse");
        assertThat(delivered.getEventId()).isEqualTo(ID);

        ProviderReport failed = adapter.parse(request(ID, TIMESTAMP, SIGNATURE,
                "{\"data\":{\"messageId\":\"m-2\",\"delivered\":false,\"reason\":\"E42\"}}"));
        assertThat(failed.getReportCode()).isEqualTo("E42");
        assertThat(failed.getChannel()).isEqualTo(Channel.UNKNOWN);
        ProviderReport failedWithoutReason = adapter.parse(request(ID, TIMESTAMP, SIGNATURE,
                "{\"data\":{\"messageId\":\"m-3\",\"delivered\":false}}"));
        assertThat(failedWithoutReason.getReportCode()).isEqualTo(StandardWebhooksAdapter.FAILED);

        assertRejected(() -> adapter.parse(request(ID, TIMESTAMP, SIGNATURE, "{\"data\":{\"delivered\":true}}")),
                WebhookRejection.Reason.MISSING_FIELD);
        assertRejected(() -> adapter.parse(request(ID, TIMESTAMP, SIGNATURE, "{\"data\":{\"messageId\":\"m\",\"delivered\":\"yes\"}}")),
                WebhookRejection.Reason.MISSING_FIELD);
    }

    @Test
    void badConfigurationFailsAtStartUpNamingTheKey() {
        assertThatThrownBy(() -> FieldMapping.of("inhouse", Map.of("code", "/c")))
                .hasMessageContaining("delivery.webhooks.providers.inhouse.mapping.msg-key");
        assertThatThrownBy(() -> FieldMapping.of("inhouse", Map.of("msg-key", "/m")))
                .hasMessageContaining("code or");
        assertThatThrownBy(() -> FieldMapping.of("inhouse", Map.of("msg-key", "no-slash", "code", "/c")))
                .hasMessageContaining("not a JSON Pointer");
        assertThatThrownBy(() -> new StandardWebhooksAdapter("inhouse", List.of("whsec_!!!"), Duration.ofMinutes(5), MAPPING, Clock.systemUTC()))
                .hasMessageContaining("base64");
    }

    private static WebhookRequest request(String id, String timestamp, String signature, String body) {
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (id != null) {
            headers.put("webhook-id", id);
        }
        if (timestamp != null) {
            headers.put("webhook-timestamp", timestamp);
        }
        if (signature != null) {
            headers.put("webhook-signature", signature);
        }
        return new WebhookRequest("/webhooks/inhouse", headers::get, body.getBytes(StandardCharsets.UTF_8),
                InetAddress.getLoopbackAddress(), AT);
    }

    private static void assertRejected(Runnable call, WebhookRejection.Reason reason) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(WebhookRejection.class, e -> assertThat(e.reason()).isEqualTo(reason));
    }
}
