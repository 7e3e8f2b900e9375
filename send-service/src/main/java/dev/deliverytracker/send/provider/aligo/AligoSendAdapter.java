package dev.deliverytracker.send.provider.aligo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deliverytracker.events.Channel;
import dev.deliverytracker.retry.Backoff;
import dev.deliverytracker.send.dispatch.ChannelLimits;
import dev.deliverytracker.send.dispatch.FlowStep;
import dev.deliverytracker.send.dispatch.OutgoingMessage;
import dev.deliverytracker.send.dispatch.Placeholders;
import dev.deliverytracker.send.dispatch.ProviderAdapter;
import dev.deliverytracker.send.dispatch.ProviderAnswer;
import dev.deliverytracker.send.dispatch.ProviderUnavailableException;
import dev.deliverytracker.send.dispatch.Recipient;
import dev.deliverytracker.send.provider.AnswerDisposition;
import dev.deliverytracker.send.provider.KoreanCarrierLimits;
import dev.deliverytracker.send.provider.KoreanRecipients;
import dev.deliverytracker.send.provider.ProviderCall;
import dev.deliverytracker.support.aligo.AligoToken;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Aligo's AlimTalk API (smartsms.aligo.in/alimapi.html): {@code POST {base}/akv10/alimtalk/send/}, form-encoded, with
 * {@code apikey}, {@code userid} and a time-limited {@code token} ({@link AligoToken}); recipients numbered
 * {@code receiver_N}/{@code subject_N}/{@code message_N} (N = 1..500, each text filled in here: it must equal the
 * template); an SMS or LMS second step as {@code failover=Y} with {@code fsubject_N}/{@code fmessage_N}. Aligo answers
 * HTTP 200 with a {@code code} (0 accepted, never delivered) and one {@code mid} for the request, no per-recipient id:
 * the delivery key is {@code mid:N}. Its example answers are not valid JSON, so answers are read leniently.
 * <p>
 * Aligo has no idempotency key: only a refused connection is repeated, and a request refused for its token (-101)
 * once, with a new token. A -101 with a fresh token means the key, the user id or this server's IP is wrong.
 * <p>
 * A flow of one SMS or LMS goes through Aligo's SMS API instead ({@code POST {sms-base}/send_mass/},
 * smartsms.aligo.in/smsapi.html: {@code key}, {@code user_id}, {@code sender}, {@code rec_N}/{@code msg_N},
 * {@code cnt}, {@code msg_type}, {@code title}; {@code result_code} "1" and one {@code msg_id}): its delivery key is
 * {@code sms:msg_id:N}, so the collector knows to read it from the SMS API's {@code /sms_list/}.
 */
public final class AligoSendAdapter implements ProviderAdapter {

    public static final String NAME = "aligo";
    public static final String SEND_PATH = "/akv10/alimtalk/send/";
    static final int MAX_RECIPIENTS = 500;
    private static final Logger LOG = LoggerFactory.getLogger(AligoSendAdapter.class);

    private final HttpClient client;
    private final URI sendUri;
    private final URI smsUri;
    private final AligoProperties properties;
    private final AligoToken token;
    private final AligoCodes codes;
    private final ProviderCall call;
    private final ProviderCall smsCall;
    private final Optional<String> senderKey;
    private final Optional<String> sender;

    public AligoSendAdapter(AligoProperties properties, AligoCodes codes) {
        if (blank(properties.apiKey()) || blank(properties.userId())) {
            throw new IllegalStateException("Aligo needs ALIGO_API_KEY and ALIGO_USER_ID (delivery.providers.aligo.api-key, user-id)");
        }
        this.properties = properties;
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(properties.connectTimeout()).build();
        String base = properties.baseUrl().replaceAll("/+$", "");
        this.sendUri = URI.create(base + SEND_PATH);
        this.smsUri = URI.create(properties.smsBaseUrl().replaceAll("/+$", "") + "/send_mass/");
        this.token = new AligoToken(client, base, properties.apiKey(), properties.userId(), properties.tokenLifetime(), properties.readTimeout());
        this.codes = codes;
        Backoff backoff = Backoff.of(properties.maxRetries(), properties.initialBackoff(), properties.maxBackoff());
        this.call = new ProviderCall("Aligo", sendUri, properties.readTimeout(), backoff);
        this.smsCall = new ProviderCall("Aligo's SMS API", smsUri, properties.readTimeout(), backoff);
        this.senderKey = Optional.ofNullable(properties.senderKey()).filter(s -> !s.isBlank());
        this.sender = Optional.ofNullable(properties.sender()).filter(s -> !s.isBlank());
    }

    /** The delivery key of recipient {@code n} (1-based) of Aligo's request {@code mid}. */
    public static String msgKey(String mid, int n) {
        return mid + ":" + n;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Optional<String> defaultSenderKey() {
        return senderKey;
    }

    @Override
    public Optional<String> defaultSmsFrom() {
        return sender;
    }

    @Override
    public ChannelLimits channelLimits() {
        return KoreanCarrierLimits.INSTANCE;
    }

    /** The prefix of a plain SMS/LMS delivery key: {@code sms:msg_id:N}. */
    public static final String SMS_KEY_PREFIX = "sms:";

    @Override
    public Optional<String> checkFlow(List<Channel> flow) {
        return KoreanRecipients.checkFlow(NAME, flow, true);
    }

    @Override
    public int maxRecipientsPerRequest() {
        return MAX_RECIPIENTS;
    }

    /** Korean numbers only (Aligo sends within Korea): a number abroad is refused alone, the others are sent. */
    @Override
    public List<ProviderAnswer> send(OutgoingMessage message, List<Recipient> recipients, Optional<String> idempotencyKey)
            throws ProviderUnavailableException {
        return KoreanRecipients.send(NAME, recipients, korean -> sendKorean(message, korean));
    }

    private List<ProviderAnswer> sendKorean(OutgoingMessage message, List<Recipient> recipients) throws ProviderUnavailableException {
        if (message.flow().get(0).channel() != Channel.ALIMTALK) {
            return sendSms(message.flow().get(0), recipients);
        }
        boolean[] renewed = {false};
        return call.run(false, "not repeated: Aligo has no idempotency key and may already have taken the request", () -> {
            String form;
            try {
                form = form(message, recipients, token.credentials());
            } catch (AligoToken.Refused e) {
                throw new ProviderUnavailableException(e.getMessage(), false, 1, null);
            }
            HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(sendUri).timeout(properties.readTimeout())
                    .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8").header("Accept", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(form, StandardCharsets.UTF_8)).build(), HttpResponse.BodyHandlers.ofByteArray());
            JsonNode root = AligoToken.lenient(response.body());
            if (root == null) {
                // Aligo answers 200 with a JSON body, success or not: anything else may or may not have been taken
                return new ProviderCall.Outcome.Refused(AnswerDisposition.RETRY_IF_IDEMPOTENT,
                        "Aligo answered HTTP " + response.statusCode() + " without a readable body", null);
            }
            String code = root.path("code").asText("");
            String text = root.path("message").asText("");
            AligoCodes.Entry entry = codes.classify(code);
            switch (entry.disposition()) {
                case ACCEPTED -> {
                    String mid = root.path("info").path("mid").asText("");
                    if (mid.isBlank()) {
                        throw new ProviderUnavailableException("Aligo accepted the request without a mid: nothing to track it by; not repeated",
                                true, 1, null);
                    }
                    if (root.path("info").path("fcnt").asInt(0) > 0) {
                        LOG.warn("Aligo took request {} but counted {} recipient(s) as badly formed without saying which; "
                                + "their results will not come and they will go stuck", mid, root.path("info").path("fcnt").asInt());
                    }
                    List<ProviderAnswer> answers = new ArrayList<>(recipients.size());
                    for (int n = 1; n <= recipients.size(); n++) {
                        answers.add(new ProviderAnswer.Accepted(msgKey(mid, n), code, text, false));
                    }
                    return new ProviderCall.Outcome.Answered(answers);
                }
                case MISCONFIGURED -> {
                    if (!renewed[0]) {
                        renewed[0] = true; // the token may have expired early: one more try with a new one
                        token.invalidate();
                        return new ProviderCall.Outcome.Refused(AnswerDisposition.RATE_LIMITED, "Aligo refused the token (" + code + " " + text + ")",
                                Duration.ZERO);
                    }
                    LOG.error("Aligo refuses our account: {} {}. Check ALIGO_API_KEY, ALIGO_USER_ID and that this server's IP is registered.",
                            code, text);
                    return new ProviderCall.Outcome.Refused(AnswerDisposition.MISCONFIGURED, "Aligo code " + code + " (" + text + ")", null);
                }
                default -> {
                    return new ProviderCall.Outcome.Answered(Collections.nCopies(recipients.size(),
                            new ProviderAnswer.Rejected(code.isEmpty() ? "?" : code, text.isEmpty() ? entry.meaning() : text)));
                }
            }
        });
    }

    /** One SMS or LMS to each recipient, its own text each, through the SMS API's {@code /send_mass/}. */
    private List<ProviderAnswer> sendSms(FlowStep step, List<Recipient> recipients) throws ProviderUnavailableException {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("key", properties.apiKey());
        fields.put("user_id", properties.userId());
        fields.put("sender", step.from() != null ? step.from() : sender.orElse(""));
        for (int n = 1; n <= recipients.size(); n++) {
            Recipient r = recipients.get(n - 1);
            fields.put("rec_" + n, r.to().domestic().orElseThrow());
            fields.put("msg_" + n, Placeholders.render(step.text(), r.variables(), name -> { }));
        }
        fields.put("cnt", String.valueOf(recipients.size()));
        fields.put("msg_type", step.channel() == Channel.LMS ? "LMS" : "SMS");
        if (step.title() != null) {
            fields.put("title", step.title());
        }
        fields.put("testmode_yn", properties.testMode() ? "Y" : "N");
        String form = AligoToken.encode(fields);
        return smsCall.run(false, "not repeated: Aligo has no idempotency key and may already have taken the request", () -> {
            HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(smsUri).timeout(properties.readTimeout())
                    .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8").header("Accept", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(form, StandardCharsets.UTF_8)).build(), HttpResponse.BodyHandlers.ofByteArray());
            JsonNode root = AligoToken.lenient(response.body());
            if (root == null) {
                return new ProviderCall.Outcome.Refused(AnswerDisposition.RETRY_IF_IDEMPOTENT,
                        "Aligo's SMS API answered HTTP " + response.statusCode() + " without a readable body", null);
            }
            String code = root.path("result_code").asText("");
            String text = root.path("message").asText("");
            if (code.equals("1")) {
                String msgId = root.path("msg_id").asText("");
                if (msgId.isBlank()) {
                    throw new ProviderUnavailableException("Aligo took the SMS without a msg_id: nothing to track it by; not repeated", true, 1, null);
                }
                List<ProviderAnswer> answers = new ArrayList<>(recipients.size());
                for (int n = 1; n <= recipients.size(); n++) {
                    answers.add(new ProviderAnswer.Accepted(SMS_KEY_PREFIX + msgKey(msgId, n), code, text, false));
                }
                return new ProviderCall.Outcome.Answered(answers);
            }
            AligoCodes.Entry entry = codes.classify(code);
            if (entry.disposition() == AnswerDisposition.MISCONFIGURED) {
                LOG.error("Aligo's SMS API refuses our account: {} {}. Check ALIGO_API_KEY, ALIGO_USER_ID and the registered IP.", code, text);
                return new ProviderCall.Outcome.Refused(AnswerDisposition.MISCONFIGURED, "Aligo code " + code + " (" + text + ")", null);
            }
            return new ProviderCall.Outcome.Answered(Collections.nCopies(recipients.size(),
                    new ProviderAnswer.Rejected(code.isEmpty() ? "?" : code, text.isEmpty() ? entry.meaning() : text)));
        });
    }

    private String form(OutgoingMessage message, List<Recipient> recipients, Map<String, String> credentials) {
        FlowStep alimtalk = message.flow().get(0);
        FlowStep failover = message.flow().size() > 1 ? message.flow().get(1) : null;
        Map<String, String> fields = new LinkedHashMap<>(credentials);
        fields.put("senderkey", alimtalk.senderKey());
        fields.put("tpl_code", alimtalk.templateCode());
        fields.put("sender", failover != null && failover.from() != null ? failover.from() : sender.orElse(""));
        for (int n = 1; n <= recipients.size(); n++) {
            Recipient r = recipients.get(n - 1);
            fields.put("receiver_" + n, r.to().domestic().orElseThrow());
            fields.put("subject_" + n, alimtalk.title() != null ? alimtalk.title() : alimtalk.templateCode());
            fields.put("message_" + n, Placeholders.render(alimtalk.text(), r.variables(), name -> { }));
            if (failover != null) {
                fields.put("fsubject_" + n, failover.title() != null ? failover.title() : alimtalk.templateCode());
                fields.put("fmessage_" + n, Placeholders.render(failover.text(), r.variables(), name -> { }));
            }
        }
        fields.put("failover", failover != null ? "Y" : "N");
        fields.put("testMode", properties.testMode() ? "Y" : "N");
        return AligoToken.encode(fields);
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
