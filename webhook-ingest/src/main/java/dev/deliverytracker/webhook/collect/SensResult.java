package dev.deliverytracker.webhook.collect;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * One AlimTalk message's result as SENS's result API shows it (api.ncloud-docs.com, SENS > AlimTalk v2 > 메시지 조회):
 * {@code messageId}, {@code messageStatusName} (processing | success | fail), {@code messageStatusCode} (0000
 * delivered, "others: failure"), {@code messageStatusDesc}, {@code completeTime}. The messageStatus fields are absent
 * until Kakao has answered: that is "processing" too. SENS documents no result of an SMS/LMS fail-over here.
 */
public record SensResult(String messageId, boolean processing, String code, String description, Instant completeTime) {

    static final ZoneId KST = ZoneId.of("Asia/Seoul");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final DateTimeFormatter ISO_TIME = DateTimeFormatter.ISO_LOCAL_DATE_TIME;

    /** @throws IllegalArgumentException when the item lacks what every result has (its id, a final code) */
    static SensResult parse(JsonNode item) {
        String messageId = item.path("messageId").asText("");
        if (messageId.isBlank()) {
            throw new IllegalArgumentException("a result without a messageId");
        }
        String status = item.path("messageStatusName").asText("");
        if (status.isEmpty() || status.equalsIgnoreCase("processing") || status.equalsIgnoreCase("ready")) {
            return new SensResult(messageId, true, null, null, null);
        }
        String code = item.path("messageStatusCode").asText("");
        if (code.isBlank()) {
            throw new IllegalArgumentException("message " + messageId + " is '" + status + "' without a messageStatusCode");
        }
        return new SensResult(messageId, false, code, item.path("messageStatusDesc").asText(null), time(item.path("completeTime").asText(null)));
    }

    /**
     * SENS's times are Korea's local time: documented as {@code YYYY-MM-DDTHH:mm:ss} (requestTime with milliseconds);
     * the form with a space, seen in send answers, is read too. Null when absent or unreadable.
     */
    static Instant time(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            String t = text.trim();
            return (t.indexOf('T') > 0 ? LocalDateTime.parse(t, ISO_TIME) : LocalDateTime.parse(t, TIME)).atZone(KST).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
