package dev.deliverytracker.webhook.provider.bizgo;

import dev.deliverytracker.support.PhoneRedactor;
import com.fasterxml.jackson.databind.JsonNode;
import dev.deliverytracker.events.Channel;
import dev.deliverytracker.events.ProviderReport;
import dev.deliverytracker.events.ReportSource;
import dev.deliverytracker.webhook.provider.BoundedJson;
import dev.deliverytracker.webhook.provider.WebhookRejection;

import java.time.Instant;
import java.util.Locale;
import java.util.UUID;

/**
 * One Bizgo report object (the webhook's body, or one element of a polling batch) as a report event. The identifying
 * fields are strict: {@code msgKey} a JSON string of at most 128 characters, {@code reportCode} a short token (a
 * string or whole number, 1 to 16 of {@code A-Za-z0-9_.-}). The descriptive ones ({@code serviceType, msgType,
 * sendTime, reportTime, reportType, reportText (or resultMsg, the seed's name), carrier, ref}) are read loosely, so a
 * number or an object there does not lose the report; unknown fields are ignored. Times are
 * {@code yyyy-MM-dd'T'HH:mm:ss[.SSS]XXX} (the webhook has milliseconds, polling has none); a time that does not
 * parse is left out rather than losing the report.
 */
public final class BizgoReports {

    private static final int MAX_KEY_LENGTH = 128;
    /** Bizgo's report codes are short tokens (10000, 64008, 6ME09, A000); anything else is not a report code. */
    private static final java.util.regex.Pattern REPORT_CODE = java.util.regex.Pattern.compile("[A-Za-z0-9_.-]{1,16}");

    private BizgoReports() {
    }

    /** Maps one report object; throws MALFORMED or MISSING_FIELD. */
    public static ProviderReport fromJson(JsonNode report, String provider, ReportSource source, boolean signatureVerified,
                                          String sourceAddress, Instant receivedAt) {
        if (report == null || !report.isObject()) {
            throw new WebhookRejection(WebhookRejection.Reason.MALFORMED, "a report must be one JSON object");
        }
        JsonNode key = report.get("msgKey");
        if (key != null && !key.isNull() && !key.isTextual()) {
            throw new WebhookRejection(WebhookRejection.Reason.MALFORMED, "msgKey must be a JSON string, not " + key.getNodeType());
        }
        String msgKey = required(report, "msgKey");
        if (msgKey.length() > MAX_KEY_LENGTH) {
            throw new WebhookRejection(WebhookRejection.Reason.MALFORMED, "msgKey is longer than " + MAX_KEY_LENGTH + " characters");
        }
        String reportCode = required(report, "reportCode");
        if (!REPORT_CODE.matcher(reportCode).matches()) {
            throw new WebhookRejection(WebhookRejection.Reason.MALFORMED,
                    "reportCode must be 1 to 16 letters, digits or _.- (got " + Math.min(reportCode.length(), 9999) + " characters)");
        }
        String serviceType = optional(report, "serviceType");
        String msgType = optional(report, "msgType");
        String text = optional(report, "reportText");
        if (text == null) {
            text = optional(report, "resultMsg");
        }
        return ProviderReport.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setMsgKey(msgKey)
                .setProvider(provider)
                .setChannel(channel(serviceType, msgType))
                .setServiceType(serviceType)
                .setMsgType(msgType)
                .setReportType(optional(report, "reportType"))
                .setReportCode(reportCode)
                .setReportText(PhoneRedactor.redact(text))
                .setCarrier(optional(report, "carrier"))
                .setRef(optional(report, "ref"))
                .setSendTime(BizgoTimes.parse(optional(report, "sendTime")))
                .setReportTime(BizgoTimes.parse(optional(report, "reportTime")))
                .setReceivedAt(receivedAt)
                .setSource(source)
                .setSignatureVerified(signatureVerified)
                .setSourceAddress(sourceAddress)
                .build();
    }

    /** serviceType (ALIMTALK, SMS, LMS, MMS, RCS, BRANDMESSAGE, ...) first, then msgType (AT, FT, SM, LM, MM, RS). */
    static Channel channel(String serviceType, String msgType) {
        if (serviceType != null) {
            switch (serviceType.trim().toUpperCase(Locale.ROOT)) {
                case "ALIMTALK", "AT" -> { return Channel.ALIMTALK; }
                case "FRIENDTALK", "FT" -> { return Channel.FRIENDTALK; }
                case "BRANDMESSAGE", "BM" -> { return Channel.BRANDMESSAGE; }
                case "SMS" -> { return Channel.SMS; }
                case "LMS" -> { return Channel.LMS; }
                case "MMS" -> { return Channel.MMS; }
                case "RCS" -> { return Channel.RCS; }
                default -> { }
            }
        }
        if (msgType != null) {
            switch (msgType.trim().toUpperCase(Locale.ROOT)) {
                case "AT", "AI" -> { return Channel.ALIMTALK; }
                case "FT", "FI", "FW" -> { return Channel.FRIENDTALK; }
                case "SM" -> { return Channel.SMS; }
                case "LM" -> { return Channel.LMS; }
                case "MM" -> { return Channel.MMS; }
                case "RS", "RL", "RM", "RT", "RI" -> { return Channel.RCS; }
                default -> { }
            }
        }
        return Channel.UNKNOWN;
    }

    private static String required(JsonNode root, String field) {
        String value = identifying(root, field);
        if (value == null || value.isBlank()) {
            throw new WebhookRejection(WebhookRejection.Reason.MISSING_FIELD, "required field '" + field + "' is missing or empty");
        }
        return value.trim();
    }

    /** The identifying fields: a string, or (reportCode) a whole number. */
    private static String identifying(JsonNode root, String field) {
        return BoundedJson.text(root.get(field), field);
    }

    private static String optional(JsonNode root, String field) {
        return BoundedJson.looseText(root.get(field));
    }

}
