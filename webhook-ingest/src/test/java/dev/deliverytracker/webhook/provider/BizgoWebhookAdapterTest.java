package dev.deliverytracker.webhook.provider;

import dev.deliverytracker.events.Channel;
import dev.deliverytracker.events.ProviderReport;
import dev.deliverytracker.events.ReportSource;
import dev.deliverytracker.webhook.provider.bizgo.BizgoWebhookAdapter;
import dev.deliverytracker.webhook.security.HmacSignatures;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Bizgo's signature scheme and report body, edge by edge. */
class BizgoWebhookAdapterTest {

    private static final Instant NOW = Instant.parse("2026-11-22T03:00:00Z");
    private static final BizgoWebhookAdapter ADAPTER = new BizgoWebhookAdapter("bizgo", List.of("old-secret", "new-secret"),
            Duration.ofMinutes(5), Clock.fixed(NOW, ZoneOffset.UTC));
    private static final String BODY = """
            {"msgKey":"mk-1","serviceType":"ALIMTALK","msgType":"AT","sendTime":"2026-11-22T11:59:58.120+09:00",
             "reportTime":"2026-11-22T12:00:01+09:00","reportType":"RPT","reportCode":"10000","reportText":"success",
             "carrier":"SKT","ref":"order-1","userType":"x","resCnt":"1"}""";

    @Test
    void acceptsLowerAndUpperHexAndBase64SignaturesUnderEitherSecret() {
        String ts = Long.toString(NOW.toEpochMilli());
        byte[] mac = HmacSignatures.hmac("new-secret".getBytes(StandardCharsets.UTF_8), ts.getBytes(StandardCharsets.UTF_8));
        ADAPTER.verify(request(ts, HexFormat.of().formatHex(mac), BODY));
        ADAPTER.verify(request(ts, HexFormat.of().formatHex(mac).toUpperCase(Locale.ROOT), BODY));
        ADAPTER.verify(request(ts, Base64.getEncoder().encodeToString(mac), BODY));
        ADAPTER.verify(request(ts, sign("old-secret", ts), BODY)); // rotation: the old secret still works
    }

    @Test
    void refusesWrongSecretsTamperedTimestampsAndMissingHeaders() {
        String ts = Long.toString(NOW.toEpochMilli());
        assertRejected(() -> ADAPTER.verify(request(ts, sign("someone-else", ts), BODY)), WebhookRejection.Reason.BAD_SIGNATURE);
        String tampered = Long.toString(NOW.toEpochMilli() + 1);
        assertRejected(() -> ADAPTER.verify(request(tampered, sign("new-secret", ts), BODY)), WebhookRejection.Reason.BAD_SIGNATURE);
        assertRejected(() -> ADAPTER.verify(request(null, sign("new-secret", ts), BODY)), WebhookRejection.Reason.BAD_SIGNATURE);
        assertRejected(() -> ADAPTER.verify(request(ts, null, BODY)), WebhookRejection.Reason.BAD_SIGNATURE);
        assertRejected(() -> ADAPTER.verify(request("12a", sign("new-secret", "12a"), BODY)), WebhookRejection.Reason.BAD_SIGNATURE);
        assertRejected(() -> ADAPTER.verify(request(ts, "not-a-signature", BODY)), WebhookRejection.Reason.BAD_SIGNATURE);
    }

    @Test
    void timestampsAreCheckedAgainstTheToleranceInMillisecondsOrSeconds() {
        String edge = Long.toString(NOW.minus(Duration.ofMinutes(5)).toEpochMilli());
        ADAPTER.verify(request(edge, sign("new-secret", edge), BODY));
        String future = Long.toString(NOW.plus(Duration.ofMinutes(5)).toEpochMilli());
        ADAPTER.verify(request(future, sign("new-secret", future), BODY));
        String stale = Long.toString(NOW.minus(Duration.ofMinutes(5)).minusMillis(1).toEpochMilli());
        assertRejected(() -> ADAPTER.verify(request(stale, sign("new-secret", stale), BODY)), WebhookRejection.Reason.STALE_TIMESTAMP);
        String seconds = Long.toString(NOW.getEpochSecond());
        ADAPTER.verify(request(seconds, sign("new-secret", seconds), BODY));
        String staleSeconds = Long.toString(NOW.getEpochSecond() - 301);
        assertRejected(() -> ADAPTER.verify(request(staleSeconds, sign("new-secret", staleSeconds), BODY)),
                WebhookRejection.Reason.STALE_TIMESTAMP);
    }

    @Test
    void parsesEveryDocumentedFieldAndIgnoresUnknownOnes() {
        ProviderReport report = ADAPTER.parse(request("1", "x", BODY));
        assertThat(report.getMsgKey()).isEqualTo("mk-1");
        assertThat(report.getProvider()).isEqualTo("bizgo");
        assertThat(report.getChannel()).isEqualTo(Channel.ALIMTALK);
        assertThat(report.getServiceType()).isEqualTo("ALIMTALK");
        assertThat(report.getMsgType()).isEqualTo("AT");
        assertThat(report.getReportType()).isEqualTo("RPT");
        assertThat(report.getReportCode()).isEqualTo("10000");
        assertThat(report.getReportText()).isEqualTo("success");
        assertThat(report.getCarrier()).isEqualTo("SKT");
        assertThat(report.getRef()).isEqualTo("order-1");
        assertThat(report.getSendTime()).isEqualTo(Instant.parse("2026-11-22T02:59:58.120Z"));
        assertThat(report.getReportTime()).isEqualTo(Instant.parse("2026-11-22T03:00:01Z"));
        assertThat(report.getReceivedAt()).isEqualTo(NOW);
        assertThat(report.getSource()).isEqualTo(ReportSource.WEBHOOK);
        assertThat(report.getSignatureVerified()).isTrue();
        assertThat(report.getSourceAddress()).isEqualTo("211.115.98.154");
    }

    @Test
    void aCapturedSignatureCannotCarryAnAlteredReportButARetryPasses() {
        BizgoWebhookAdapter adapter = new BizgoWebhookAdapter("bizgo", List.of("new-secret"), Duration.ofMinutes(5), Clock.fixed(NOW, ZoneOffset.UTC));
        String ts = Long.toString(NOW.toEpochMilli());
        String failed = "{\"msgKey\":\"mk-9\",\"reportCode\":\"64008\",\"serviceType\":\"ALIMTALK\"}";
        String forgedSuccess = "{\"msgKey\":\"mk-9\",\"reportCode\":\"10000\",\"serviceType\":\"ALIMTALK\"}";
        String otherMessage = "{\"msgKey\":\"mk-10\",\"reportCode\":\"10000\",\"serviceType\":\"ALIMTALK\"}";
        WebhookRequest first = request(ts, sign("new-secret", ts), failed);
        adapter.verify(first);
        assertThat(adapter.parse(first).getReportCode()).isEqualTo("64008");
        assertThat(adapter.parse(request(ts, sign("new-secret", ts), failed)).getReportCode()).as("the provider's retry").isEqualTo("64008");
        assertThat(adapter.parse(request(ts, sign("new-secret", ts), otherMessage)).getMsgKey())
                .as("another report in the same signed millisecond").isEqualTo("mk-10");
        WebhookRequest forged = request(ts, sign("new-secret", ts).toUpperCase(java.util.Locale.ROOT), forgedSuccess);
        adapter.verify(forged); // the signature itself is valid: only the memory of what it came with tells
        assertRejected(() -> adapter.parse(forged), WebhookRejection.Reason.REPLAYED_SIGNATURE);
    }

    @Test
    void theReplayMemoryForgetsAfterTheSignaturesValidityAndStaysBounded() {
        dev.deliverytracker.webhook.security.ReplayGuard guard = new dev.deliverytracker.webhook.security.ReplayGuard(Duration.ofMinutes(10), 3);
        byte[] a = "a".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] b = "b".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(guard.firstBodyFor("t1", a, NOW)).isTrue();
        assertThat(guard.firstBodyFor("t1", b, NOW.plusSeconds(599))).isFalse();
        assertThat(guard.firstBodyFor("t1", b, NOW.plusSeconds(600))).as("expired: the timestamp is refused as stale anyway").isTrue();
        for (int i = 0; i < 10; i++) {
            guard.firstBodyFor("k" + i, a, NOW.plusSeconds(601));
        }
        assertThat(guard.size()).isLessThanOrEqualTo(3);
    }

    @Test
    void phoneNumbersInTheProvidersTextAreMaskedBeforeTheyReachAnEvent() {
        ProviderReport report = ADAPTER.parse(request("1", "x",
                "{\"msgKey\":\"mk-3\",\"reportCode\":\"64016\",\"reportText\":\"수신번호 01012345678 카카오톡 미사용\",\"serviceType\":\"ALIMTALK\"}"));
        assertThat(report.getReportText()).isEqualTo("수신번호 010-****-5678 카카오톡 미사용");
    }

    @Test
    void acceptsTheSeedsResultMsgAndNumericCodes() {
        ProviderReport report = ADAPTER.parse(request("1", "x", "{\"msgKey\":\"mk-2\",\"reportCode\":64016,\"resultMsg\":\"not a talk user\",\"serviceType\":\"SMS\"}"));
        assertThat(report.getReportCode()).isEqualTo("64016");
        assertThat(report.getReportText()).isEqualTo("not a talk user");
        assertThat(report.getChannel()).isEqualTo(Channel.SMS);
        assertThat(report.getSendTime()).isNull();
    }

    @Test
    void malformedBodiesAreRefusedWithoutQuotingThem() {
        Map<String, WebhookRejection.Reason> cases = new TreeMap<>(Map.of(
                "", WebhookRejection.Reason.MALFORMED,
                "not json 010-1234-5678", WebhookRejection.Reason.MALFORMED,
                "[]", WebhookRejection.Reason.MALFORMED,
                "{\"msgKey\":\"a\"}", WebhookRejection.Reason.MISSING_FIELD,
                "{\"reportCode\":\"10000\"}", WebhookRejection.Reason.MISSING_FIELD,
                "{\"msgKey\":\" \",\"reportCode\":\"10000\"}", WebhookRejection.Reason.MISSING_FIELD,
                "{\"msgKey\":{\"a\":1},\"reportCode\":\"10000\"}", WebhookRejection.Reason.MALFORMED,
                "{\"msgKey\":\"a\",\"reportCode\":1.5}", WebhookRejection.Reason.MALFORMED,
                "{\"msgKey\":\"a\",\"reportCode\":\"1\"} trailing", WebhookRejection.Reason.MALFORMED,
                "{\"msgKey\":\"a\",\"msgKey\":\"b\",\"reportCode\":\"1\"}", WebhookRejection.Reason.MALFORMED));
        cases.forEach((body, reason) -> assertThatThrownBy(() -> ADAPTER.parse(request("1", "x", body)))
                .as(body)
                .isInstanceOfSatisfying(WebhookRejection.class, e -> {
                    assertThat(e.reason()).isEqualTo(reason);
                    assertThat(e.getMessage()).doesNotContain("010-1234-5678");
                }));
        byte[] invalidUtf8 = {'{', '"', 'm', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
        assertRejected(() -> ADAPTER.parse(new WebhookRequest("/", h -> null, invalidUtf8, source(), NOW)), WebhookRejection.Reason.MALFORMED);
        String deep = "[".repeat(5000) + "]".repeat(5000);
        assertRejected(() -> ADAPTER.parse(request("1", "x", deep)), WebhookRejection.Reason.MALFORMED);
        String huge = "{\"msgKey\":\"a\",\"reportCode\":" + "9".repeat(5000) + "}";
        assertRejected(() -> ADAPTER.parse(request("1", "x", huge)), WebhookRejection.Reason.MALFORMED);
    }

    @Test
    void withoutASecretTheAdapterRefusesToStart() {
        assertThatThrownBy(() -> new BizgoWebhookAdapter("bizgo", List.of(), Duration.ofMinutes(5), Clock.systemUTC()))
                .hasMessageContaining("delivery.webhooks.providers.bizgo.secrets");
    }

    static String sign(String secret, String timestamp) {
        return HexFormat.of().formatHex(HmacSignatures.hmac(secret.getBytes(StandardCharsets.UTF_8), timestamp.getBytes(StandardCharsets.UTF_8)));
    }

    private static WebhookRequest request(String timestamp, String signature, String body) {
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (timestamp != null) {
            headers.put("x-ib-timestamp", timestamp);
        }
        if (signature != null) {
            headers.put("X-IB-SIGNATURE", signature);
        }
        return new WebhookRequest("/webhooks/bizgo", headers::get, body.getBytes(StandardCharsets.UTF_8), source(), NOW);
    }

    private static InetAddress source() {
        try {
            return InetAddress.getByName("211.115.98.154");
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void assertRejected(Runnable call, WebhookRejection.Reason reason) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(WebhookRejection.class, e -> assertThat(e.reason()).isEqualTo(reason));
    }
}
