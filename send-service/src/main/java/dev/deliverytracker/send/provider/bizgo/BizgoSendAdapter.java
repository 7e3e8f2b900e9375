package dev.deliverytracker.send.provider.bizgo;

import dev.deliverytracker.send.provider.AnswerDisposition;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deliverytracker.send.dispatch.ChannelLimits;
import dev.deliverytracker.send.dispatch.FlowStep;
import dev.deliverytracker.send.dispatch.OutgoingMessage;
import dev.deliverytracker.send.dispatch.ProviderAdapter;
import dev.deliverytracker.send.dispatch.ProviderUnavailableException;
import dev.deliverytracker.send.dispatch.Recipient;
import dev.deliverytracker.send.dispatch.ProviderAnswer;
import dev.deliverytracker.retry.Backoff;
import dev.deliverytracker.retry.RetryAfter;
import dev.deliverytracker.send.provider.KoreanCarrierLimits;
import dev.deliverytracker.send.provider.ProviderCall;
import dev.deliverytracker.send.provider.bizgo.BizgoCodes.Entry;
import dev.deliverytracker.send.provider.bizgo.BizgoCodes.Layer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Bizgo's omni send API ({@code POST {base}/api/comm/v1/send/omni}). One pooled HTTP client; the raw API key in
 * {@code Authorization}; the flow as {@code messageFlow} (alimtalk, then sms or mms for LMS); the producer's variables as
 * each destination's {@code replaceWords}; an idempotency key passed on with its TTL (Bizgo answers A309 without one).
 * <p>
 * Answers are judged layer by layer (gateway {@code common.authCode}, service {@code data.code}, then each
 * destination's {@code code}) against {@link BizgoCodes}. A000 means accepted, never delivered.
 */
public final class BizgoSendAdapter implements ProviderAdapter {

    public static final String NAME = "bizgo";
    static final String SEND_PATH = "/api/comm/v1/send/omni";
    private static final int MAX_RECIPIENTS = 200;
    private static final Logger LOG = LoggerFactory.getLogger(BizgoSendAdapter.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client;
    private final URI sendUri;
    private final String apiKey;
    private final Duration readTimeout;
    private final long idempotencyTtlSeconds;
    private final Backoff backoff;
    private final ProviderCall call;
    private final BizgoCodes codes;
    private final Optional<String> senderKey;
    private final Optional<String> smsFrom;

    public BizgoSendAdapter(BizgoProperties properties, BizgoCodes codes) {
        if (properties.apiKey() == null || properties.apiKey().isBlank()) {
            throw new IllegalStateException("Bizgo's API key is not set: set BIZGO_API_KEY (delivery.providers.bizgo.api-key)");
        }
        long ttl = properties.idempotencyTtl().toSeconds();
        if (ttl < 1 || ttl > 86_400) {
            throw new IllegalStateException("delivery.providers.bizgo.idempotency-ttl must be between 1s and 24h (Bizgo's limit), was "
                    + properties.idempotencyTtl());
        }
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(properties.connectTimeout())
                .build();
        this.sendUri = URI.create(properties.baseUrl().replaceAll("/+$", "") + SEND_PATH);
        this.apiKey = properties.apiKey();
        this.readTimeout = properties.readTimeout();
        this.idempotencyTtlSeconds = ttl;
        this.backoff = Backoff.of(properties.maxRetries(), properties.initialBackoff(), properties.maxBackoff());
        this.call = new ProviderCall("Bizgo", sendUri, readTimeout, backoff);
        this.codes = codes;
        this.senderKey = Optional.ofNullable(properties.senderKey()).filter(s -> !s.isBlank());
        this.smsFrom = Optional.ofNullable(properties.smsFrom()).filter(s -> !s.isBlank());
    }

    @Override
    public Optional<String> defaultSenderKey() {
        return senderKey;
    }

    @Override
    public Optional<String> defaultSmsFrom() {
        return smsFrom;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ChannelLimits channelLimits() {
        return KoreanCarrierLimits.INSTANCE;
    }

    @Override
    public int maxRecipientsPerRequest() {
        return MAX_RECIPIENTS;
    }

    /** How long one send may take at worst, retries included. */
    public Duration worstCase() {
        return readTimeout.multipliedBy(backoff.maxRetries() + 1L).plus(backoff.worstCase());
    }

    @Override
    public List<ProviderAnswer> send(OutgoingMessage message, List<Recipient> recipients, Optional<String> idempotencyKey)
            throws ProviderUnavailableException {
        byte[] body = requestBody(message, recipients, idempotencyKey);
        return call.run(idempotencyKey.isPresent(), "not retried without an Idempotency-Key because Bizgo may already have accepted it", () -> {
            HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(sendUri)
                            .timeout(readTimeout)
                            .header("Authorization", apiKey)
                            .header("Content-Type", "application/json")
                            .header("Accept", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            Judged judged = judge(response, recipients.size());
            return judged.results() != null ? new ProviderCall.Outcome.Answered(judged.results())
                    : new ProviderCall.Outcome.Refused(judged.disposition(), judged.problem(), RetryAfter.of(response).orElse(null));
        });
    }

    /** Either per-recipient results, or why there are none and what to do about it. */
    private record Judged(List<ProviderAnswer> results, AnswerDisposition disposition, String problem) {
    }

    private Judged judge(HttpResponse<byte[]> response, int recipients) {
        int status = response.statusCode();
        JsonNode root;
        try {
            root = JSON.readTree(response.body());
        } catch (IOException e) {
            root = null;
        }
        if (root == null || !root.isObject()) {
            AnswerDisposition disposition = status == 429 ? AnswerDisposition.RATE_LIMITED
                    : status >= 500 ? AnswerDisposition.RETRY_IF_IDEMPOTENT : AnswerDisposition.MISCONFIGURED;
            return new Judged(null, disposition, "Bizgo answered HTTP " + status + " without a JSON body");
        }
        String gateway = root.path("common").path("authCode").asText("");
        Entry gatewayEntry = codes.classify(Layer.GATEWAY, gateway, status);
        if (gatewayEntry.disposition() != AnswerDisposition.ACCEPTED) {
            return refused(Layer.GATEWAY, gateway, root.path("common").path("authResult").asText(gatewayEntry.meaning()),
                    gatewayEntry, recipients);
        }
        JsonNode data = root.path("data");
        String service = data.path("code").asText("");
        Entry serviceEntry = codes.classify(Layer.SERVICE, service, status);
        String serviceText = data.path("result").asText(serviceEntry.meaning());
        if (serviceEntry.disposition() == AnswerDisposition.DUPLICATE) {
            return new Judged(repeat(new ProviderAnswer.AlreadyAccepted(service, serviceText), recipients), null, null);
        }
        if (serviceEntry.disposition() != AnswerDisposition.ACCEPTED) {
            return refused(Layer.SERVICE, service, serviceText, serviceEntry, recipients);
        }
        JsonNode destinations = data.path("data").path("destinations");
        if (!destinations.isArray()) {
            // The simple send API's shape: one msgKey at data.msgKey or at the top level.
            String msgKey = firstText(data.path("data").path("msgKey"), data.path("msgKey"), root.path("msgKey"));
            if (msgKey != null && recipients == 1) {
                return new Judged(List.of(new ProviderAnswer.Accepted(msgKey, service, serviceText, false)), null, null);
            }
            return new Judged(null, AnswerDisposition.RETRY_IF_IDEMPOTENT, "Bizgo answered A000 without destinations");
        }
        if (destinations.size() != recipients) {
            return new Judged(null, AnswerDisposition.RETRY_IF_IDEMPOTENT,
                    "Bizgo answered " + destinations.size() + " destinations for " + recipients + " recipients");
        }
        List<ProviderAnswer> results = new ArrayList<>(recipients);
        for (JsonNode destination : destinations) {
            String code = destination.path("code").asText("");
            String text = destination.path("result").asText("");
            String msgKey = firstText(destination.path("msgKey"));
            Entry entry = codes.classify(Layer.DESTINATION, code, status);
            results.add(switch (entry.disposition()) {
                case ACCEPTED -> msgKey == null
                        ? new ProviderAnswer.Rejected(code, "Bizgo accepted the recipient without a msgKey")
                        : new ProviderAnswer.Accepted(msgKey, code, text, false);
                case DUPLICATE -> msgKey == null
                        ? new ProviderAnswer.AlreadyAccepted(code, text)
                        : new ProviderAnswer.Accepted(msgKey, code, text, true);
                default -> new ProviderAnswer.Rejected(code, text.isEmpty() ? entry.meaning() : text);
            });
        }
        return new Judged(results, null, null);
    }

    private static Judged refused(Layer layer, String code, String text, Entry entry, int recipients) {
        String problem = "Bizgo " + layer.name().toLowerCase(java.util.Locale.ROOT) + " code " + code + " (" + text + ")";
        if (entry.disposition() == AnswerDisposition.REJECTED) {
            return new Judged(repeat(new ProviderAnswer.Rejected(code, text), recipients), null, null);
        }
        if (entry.disposition() == AnswerDisposition.MISCONFIGURED) {
            LOG.error("Bizgo refuses our account or key: {} ({}). Check BIZGO_API_KEY, the registered IP and the base URL.",
                    code, entry.meaning());
        }
        return new Judged(null, entry.disposition(), problem);
    }

    private static List<ProviderAnswer> repeat(ProviderAnswer result, int times) {
        return java.util.Collections.nCopies(times, result);
    }

    private static String firstText(JsonNode... nodes) {
        for (JsonNode node : nodes) {
            if (node != null && node.isTextual() && !node.asText().isBlank()) {
                return node.asText();
            }
        }
        return null;
    }


    private byte[] requestBody(OutgoingMessage message, List<Recipient> recipients, Optional<String> idempotencyKey) {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode destinations = body.putArray("destinations");
        for (Recipient recipient : recipients) {
            ObjectNode destination = destinations.addObject();
            destination.put("to", recipient.to().digits());
            if (!recipient.variables().isEmpty()) {
                ObjectNode words = destination.putObject("replaceWords");
                recipient.variables().forEach(words::put);
            }
            if (recipient.ref() != null) {
                destination.put("ref", recipient.ref());
            }
        }
        ArrayNode flow = body.putArray("messageFlow");
        for (FlowStep step : message.flow()) {
            ObjectNode item = flow.addObject();
            switch (step.channel()) {
                case ALIMTALK -> {
                    ObjectNode alimtalk = item.putObject("alimtalk");
                    alimtalk.put("senderKey", step.senderKey());
                    alimtalk.put("templateCode", step.templateCode());
                    alimtalk.put("msgType", "AT");
                    alimtalk.put("text", step.text());
                }
                case SMS -> {
                    ObjectNode sms = item.putObject("sms");
                    sms.put("from", step.from());
                    sms.put("text", step.text());
                }
                case LMS -> {
                    ObjectNode lms = item.putObject("mms"); // LMS is Bizgo's mms item without a fileKey
                    lms.put("from", step.from());
                    lms.put("text", step.text());
                    if (step.title() != null) {
                        lms.put("title", step.title());
                    }
                }
                default -> throw new IllegalArgumentException("Bizgo adapter cannot send on " + step.channel());
            }
        }
        idempotencyKey.ifPresent(key -> {
            body.put("idempotencyKey", key);
            body.put("idempotencyTtl", idempotencyTtlSeconds);
        });
        if (message.ref() != null) {
            body.put("ref", message.ref());
        }
        try {
            return JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
