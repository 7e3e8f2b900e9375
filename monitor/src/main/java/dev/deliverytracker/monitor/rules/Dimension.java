package dev.deliverytracker.monitor.rules;

import dev.deliverytracker.events.DeliveryStatus;

import java.util.Locale;

/** What a failure rate is measured per, besides the provider. The label is also the alert's label name. */
public enum Dimension {
    /** The channel the message was last tried on (ALIMTALK, SMS, ...). */
    CHANNEL("channel"),
    /** The template code of the send. */
    TEMPLATE("templateCode"),
    /** The producing service. */
    ORIGIN("origin");

    private final String label;

    Dimension(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** This dimension's value in a status, or null when the status has none (a report without its send). */
    public String valueOf(DeliveryStatus status) {
        return switch (this) {
            case CHANNEL -> status.getChannel() == null ? null : status.getChannel().name();
            case TEMPLATE -> status.getTemplateCode();
            case ORIGIN -> status.getOrigin();
        };
    }

    /** {@code channel}, {@code template} or {@code origin}, as written in configuration. */
    public static Dimension parse(String key, String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "channel" -> CHANNEL;
            case "template", "templatecode", "template-code" -> TEMPLATE;
            case "origin" -> ORIGIN;
            default -> throw new RuleConfigException(key, value, "expected channel, template or origin");
        };
    }
}
