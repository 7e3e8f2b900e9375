package dev.deliverytracker.monitor.rules;

/** A rule setting that cannot be used; the message names the full configuration key, so start-up says what to fix. */
public final class RuleConfigException extends IllegalArgumentException {

    public RuleConfigException(String key, Object value, String problem) {
        super(key + "=" + value + ": " + problem);
    }

    public RuleConfigException(String key, String problem) {
        super(key + ": " + problem);
    }
}
