package dev.deliverytracker.send.provider.sens;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deliverytracker.events.Channel;
import dev.deliverytracker.retry.Backoff;
import dev.deliverytracker.retry.RetryAfter;
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
import dev.deliverytracker.support.sens.SensSignature;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * NCP SENS's AlimTalk API ({@code POST {base}/alimtalk/v2/services/{serviceId}/messages}, api.ncloud-docs.com, SENS >
 * AlimTalk v2): each request signed ({@link SensSignature}); one message per recipient with its text already filled in
 * (SENS takes finished texts); an SMS or LMS second step becomes the message's fail-over ({@code useSmsFailover},
 * {@code failoverConfig}). SENS answers 202 with a {@code requestId} and, per message, a {@code messageId} and a
 * {@code requestStatusCode} (A000: accepted, never delivered); the delivery key is {@code requestId:messageId}, so the
 * result collector can ask for a whole request at once and still tell the messages apart.
 * <p>
 * SENS has no idempotency key: a request is repeated only when it never left (connection refused) or was refused
 * before processing (429, 503); a timeout or a 5xx leaves the outcome unknown and is not repeated.
 */
public final class SensSendAdapter implements ProviderAdapter {

    public static final String NAME = "ncp-sens";
    /** SENS's limit of messages per AlimTalk request. */
    static final int MAX_RECIPIENTS = 100;
    private static final Logger LOG = LoggerFactory.getLogger(SensSendAdapter.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client;
    private final String baseUrl;
    private final String path;
    private final String smsPath;
    private final SensSignature signature;
    private final Duration readTimeout;
    private final ProviderCall call;
    private final SensCodes codes;
    private final Optional<String> plusFriendId;
    private final Optional<String> smsFrom;

    public SensSendAdapter(SensProperties properties, SensCodes codes) {
        if (properties.alimtalkServiceId() == null || properties.alimtalkServiceId().isBlank()) {
            throw new IllegalStateException("NCP SENS's AlimTalk service id is not set: set NCP_SENS_ALIMTALK_SERVICE_ID "
                    + "(delivery.providers.ncp-sens.alimtalk-service-id)");
        }
        this.signature = new SensSignature(properties.accessKey(), properties.secretKey());
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(properties.connectTimeout()).build();
        this.baseUrl = properties.baseUrl().replaceAll("/+$", "");
        this.path = messagesPath(properties.alimtalkServiceId().trim());
        this.smsPath = properties.smsServiceId() == null || properties.smsServiceId().isBlank() ? null
                : "/sms/v2/services/" + properties.smsServiceId().trim() + "/messages";
        this.readTimeout = properties.readTimeout();
        this.call = new ProviderCall("SENS", URI.create(baseUrl), properties.readTimeout(),
                Backoff.of(properties.maxRetries(), properties.initialBackoff(), properties.maxBackoff()));
        this.codes = codes;
        this.plusFriendId = Optional.ofNullable(properties.plusFriendId()).filter(s -> !s.isBlank());
        this.smsFrom = Optional.ofNullable(properties.smsFrom()).filter(s -> !s.isBlank());
    }

    /** The AlimTalk messages resource of a service: where messages are sent, and their results read. */
    public static String messagesPath(String serviceId) {
        return "/alimtalk/v2/services/" + serviceId + "/messages";
    }

    /** The delivery key of one SENS message: its request's id and its own, so results can be asked per request. */
    public static String msgKey(String requestId, String messageId) {
        return requestId + ":" + messageId;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Optional<String> defaultSenderKey() {
        return plusFriendId;
    }

    @Override
    public Optional<String> defaultSmsFrom() {
        return smsFrom;
    }

    @Override
    public ChannelLimits channelLimits() {
        return KoreanCarrierLimits.INSTANCE;
    }

    @Override
    public Optional<String> checkFlow(List<Channel> flow) {
        return KoreanRecipients.checkFlow(NAME, flow, smsPath != null);
    }

    @Override
    public int maxRecipientsPerRequest() {
        return MAX_RECIPIENTS;
    }

    /**
     * Korean numbers only (SENS takes a country code and a national number; this adapter sends 82): a recipient
     * abroad is refused here, alone, and the others are sent.
     */
    @Override
    public List<ProviderAnswer> send(OutgoingMessage message, List<Recipient> recipients, Optional<String> idempotencyKey)
            throws ProviderUnavailableException {
        return KoreanRecipients.send(NAME, recipients, korean -> sendKorean(message, korean));
    }

    /** The prefix of a plain SMS/LMS delivery key: {@code sms:requestId:N} (SENS's SMS API answers no messageIds). */
    public static final String SMS_KEY_PREFIX = "sms:";

    /**
     * One SMS or LMS to each recipient through SENS's SMS v2 API ({@code POST /sms/v2/services/{smsServiceId}/messages},
     * api.ncloud-docs.com, SENS > SMS v2): it answers a {@code requestId} and no messageIds, so the delivery key is
     * {@code sms:requestId:N} and the collector finds each message in the request's list by its number's keyed hash.
     */
    private List<ProviderAnswer> sendSms(FlowStep step, List<Recipient> recipients) throws ProviderUnavailableException {
        ObjectNode body = JSON.createObjectNode();
        body.put("type", step.channel() == Channel.LMS ? "LMS" : "SMS");
        body.put("contentType", "COMM");
        body.put("countryCode", "82");
        body.put("from", step.from());
        if (step.title() != null) {
            body.put("subject", step.title());
        }
        body.put("content", step.text());
        ArrayNode messages = body.putArray("messages");
        for (Recipient recipient : recipients) {
            ObjectNode m = messages.addObject();
            m.put("to", recipient.to().domestic().orElseThrow());
            m.put("content", Placeholders.render(step.text(), recipient.variables(), name -> { }));
        }
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return call.run(false, "not repeated: SENS has no idempotency key and may already have taken the messages", () -> {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + smsPath)).timeout(readTimeout)
                    .header("Content-Type", "application/json; charset=utf-8").header("Accept", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
            signature.headers("POST", smsPath, System.currentTimeMillis()).forEach(request::header);
            HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            SensCodes.Entry answer = codes.http(response.statusCode());
            if (answer.disposition() == AnswerDisposition.ACCEPTED) {
                JsonNode root;
                try {
                    root = JSON.readTree(response.body());
                } catch (IOException e) {
                    root = null;
                }
                String requestId = root == null ? "" : root.path("requestId").asText("");
                if (requestId.isBlank()) {
                    throw new ProviderUnavailableException("SENS took the SMS without a requestId: nothing to track it by; not repeated", true, 1, null);
                }
                List<ProviderAnswer> answers = new ArrayList<>(recipients.size());
                for (int n = 1; n <= recipients.size(); n++) {
                    answers.add(new ProviderAnswer.Accepted(SMS_KEY_PREFIX + requestId + ":" + n, root.path("statusCode").asText("202"),
                            root.path("statusName").asText(""), false));
                }
                return new ProviderCall.Outcome.Answered(answers);
            }
            String problem = "SENS's SMS API answered HTTP " + response.statusCode() + " (" + answer.meaning() + ")" + errorText(response.body());
            if (answer.disposition() == AnswerDisposition.REJECTED) {
                return new ProviderCall.Outcome.Answered(Collections.nCopies(recipients.size(),
                        new ProviderAnswer.Rejected("HTTP " + response.statusCode(), problem)));
            }
            return new ProviderCall.Outcome.Refused(answer.disposition(), problem, RetryAfter.of(response).orElse(null));
        });
    }

    private List<ProviderAnswer> sendKorean(OutgoingMessage message, List<Recipient> recipients) throws ProviderUnavailableException {
        if (message.flow().get(0).channel() != Channel.ALIMTALK) {
            return sendSms(message.flow().get(0), recipients);
        }
        byte[] body = requestBody(message, recipients);
        return call.run(false, "not repeated: SENS has no idempotency key and may already have taken the messages", () -> {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(readTimeout)
                    .header("Content-Type", "application/json; charset=utf-8").header("Accept", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body));
            signature.headers("POST", path, System.currentTimeMillis()).forEach(request::header);
            HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            SensCodes.Entry answer = codes.http(response.statusCode());
            if (answer.disposition() == AnswerDisposition.ACCEPTED) {
                return new ProviderCall.Outcome.Answered(judge(response.body(), recipients).orElseThrow(() -> new ProviderUnavailableException(
                        "SENS answered 202 with a body this service cannot read: the messages may have been taken; not repeated", true, 1, null)));
            }
            String problem = "SENS answered HTTP " + response.statusCode() + " (" + answer.meaning() + ")" + errorText(response.body());
            if (answer.disposition() == AnswerDisposition.REJECTED) {
                return new ProviderCall.Outcome.Answered(Collections.nCopies(recipients.size(),
                        new ProviderAnswer.Rejected("HTTP " + response.statusCode(), problem)));
            }
            if (answer.disposition() == AnswerDisposition.MISCONFIGURED) {
                LOG.error("NCP SENS refuses our account or key: {}. Check NCP_ACCESS_KEY, NCP_SECRET_KEY, the service id and the clock.", problem);
            }
            return new ProviderCall.Outcome.Refused(answer.disposition(), problem, RetryAfter.of(response).orElse(null));
        });
    }

    /**
     * One answer per recipient, matched by position and checked by number (SENS echoes {@code to}); empty when the body
     * is not the documented shape.
     */
    private Optional<List<ProviderAnswer>> judge(byte[] body, List<Recipient> recipients) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            return Optional.empty();
        }
        String requestId = root == null ? "" : root.path("requestId").asText("");
        JsonNode messages = root == null ? null : root.path("messages");
        if (requestId.isBlank() || messages == null || !messages.isArray() || messages.size() != recipients.size()) {
            return Optional.empty();
        }
        List<ProviderAnswer> answers = new ArrayList<>(recipients.size());
        for (int i = 0; i < recipients.size(); i++) {
            JsonNode m = messages.get(i);
            String to = m.path("to").asText("").replaceAll("[^0-9]", "");
            if (!to.isEmpty() && !to.equals(recipients.get(i).to().domestic().orElse(""))) {
                return Optional.empty(); // not in the order sent: never guess which message is whose
            }
            String code = m.path("requestStatusCode").asText("");
            String text = m.path("requestStatusDesc").asText(m.path("requestStatusName").asText(""));
            String messageId = m.path("messageId").asText("");
            SensCodes.Entry entry = codes.message(code);
            if (entry.disposition() == AnswerDisposition.ACCEPTED) {
                if (messageId.isBlank()) {
                    return Optional.empty(); // taken, but with no id to track it by: an unknown outcome, not a refusal
                }
                answers.add(new ProviderAnswer.Accepted(msgKey(requestId, messageId), code, text, false));
            } else {
                answers.add(new ProviderAnswer.Rejected(code.isEmpty() ? "?" : code, text.isEmpty() ? entry.meaning() : text));
            }
        }
        return Optional.of(answers);
    }

    private static String errorText(byte[] body) {
        try {
            JsonNode root = JSON.readTree(body);
            JsonNode error = root == null ? null : root.path("error");
            if (error != null && error.isObject()) {
                return ": " + error.path("errorCode").asText("") + " " + error.path("message").asText("");
            }
            if (root != null && root.has("statusName")) {
                return ": " + root.path("statusCode").asText("") + " " + root.path("statusName").asText("");
            }
        } catch (IOException e) {
            // not JSON: the status says enough
        }
        return "";
    }


    private byte[] requestBody(OutgoingMessage message, List<Recipient> recipients) {
        FlowStep alimtalk = message.flow().get(0);
        FlowStep failover = message.flow().size() > 1 ? message.flow().get(1) : null;
        ObjectNode body = JSON.createObjectNode();
        body.put("plusFriendId", alimtalk.senderKey());
        body.put("templateCode", alimtalk.templateCode());
        ArrayNode messages = body.putArray("messages");
        for (Recipient recipient : recipients) {
            ObjectNode m = messages.addObject();
            m.put("countryCode", "82");
            m.put("to", recipient.to().domestic().orElseThrow());
            m.put("content", Placeholders.render(alimtalk.text(), recipient.variables(), name -> { }));
            m.put("useSmsFailover", failover != null);
            if (failover != null) {
                ObjectNode config = m.putObject("failoverConfig");
                config.put("type", failover.channel() == Channel.LMS ? "LMS" : "SMS");
                config.put("from", failover.from());
                if (failover.title() != null) {
                    config.put("subject", failover.title());
                }
                config.put("content", Placeholders.render(failover.text(), recipient.variables(), name -> { }));
            }
        }
        try {
            return JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
