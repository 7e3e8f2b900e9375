package dev.deliverytracker.monitor.topology;

import dev.deliverytracker.events.AlertRule;
import dev.deliverytracker.events.AlertSeverity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * One rule's verdict on one subject (a provider, or a provider and a channel, template or origin) at one
 * evaluation: whether its condition holds, with the numbers and words for a person.
 *
 * @param since when the condition started to hold, as far as the rule knows (epoch ms)
 */
record Candidate(AlertRule rule,
                 AlertSeverity severity,
                 SortedMap<String, String> labels,
                 boolean active,
                 double value,
                 double threshold,
                 long count,
                 long total,
                 String code,
                 String codeText,
                 List<String> samples,
                 long since,
                 String summary,
                 String description) {

    String fingerprint() {
        return fingerprint(rule, labels);
    }

    /** 16 hex digits of SHA-256 over the rule and the sorted labels: stable, and short enough for any dedup key. */
    static String fingerprint(AlertRule rule, Map<String, String> sortedLabels) {
        StringBuilder identity = new StringBuilder(rule.name());
        sortedLabels.forEach((k, v) -> identity.append('\n').append(k).append('=').append(v));
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(identity.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
