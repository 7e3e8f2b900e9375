package dev.deliverytracker.monitor.notify;

import dev.deliverytracker.events.AlertState;
import dev.deliverytracker.events.DeliveryAlert;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The bodies the channels send, in the formats their receivers already read: Alertmanager's webhook payload
 * (version 4) for the generic webhook, Alertmanager's API v2 alerts, and a Slack message (text plus Block Kit).
 */
public final class AlertPayloads {

    /** Alertmanager writes this for "no end" in its webhook payload. */
    static final String NO_END = "0001-01-01T00:00:00Z";
    /** Slack refuses more than 50 blocks per message: longer groups are split. */
    static final int SLACK_MAX_BLOCKS = 50;

    private final String externalUrl;

    public AlertPayloads(String externalUrl) {
        this.externalUrl = externalUrl.replaceAll("/+$", "");
    }

    /** Alertmanager's webhook v4 body for one group (same rule and provider). */
    public Map<String, Object> webhookV4(String receiver, List<DeliveryAlert> group) {
        DeliveryAlert first = group.get(0);
        boolean firing = group.stream().anyMatch(a -> a.getState() == AlertState.FIRING);
        Map<String, String> groupLabels = new LinkedHashMap<>();
        groupLabels.put("alertname", AlertNames.alertname(first.getRule()));
        if (first.getLabels().containsKey("provider")) {
            groupLabels.put("provider", first.getLabels().get("provider"));
        }
        List<Map<String, Object>> alerts = new ArrayList<>();
        for (DeliveryAlert a : group) {
            Map<String, Object> alert = new LinkedHashMap<>();
            alert.put("status", a.getState() == AlertState.FIRING ? "firing" : "resolved");
            alert.put("labels", AlertNames.labels(a));
            alert.put("annotations", annotations(a));
            alert.put("startsAt", a.getStartsAt().toString());
            alert.put("endsAt", a.getEndsAt() == null ? NO_END : a.getEndsAt().toString());
            alert.put("generatorURL", generatorUrl(a));
            alert.put("fingerprint", a.getFingerprint());
            alerts.add(alert);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("version", "4");
        body.put("groupKey", "{}:" + groupLabels.entrySet().stream().map(e -> e.getKey() + "=\"" + e.getValue() + "\"")
                .collect(Collectors.joining(",", "{", "}")));
        body.put("truncatedAlerts", 0);
        body.put("status", firing ? "firing" : "resolved");
        body.put("receiver", receiver);
        body.put("groupLabels", groupLabels);
        body.put("commonLabels", common(group.stream().map(AlertNames::labels).toList()));
        body.put("commonAnnotations", common(group.stream().map(AlertPayloads::annotations).toList()));
        body.put("externalURL", externalUrl);
        body.put("alerts", alerts);
        return body;
    }

    /**
     * Alertmanager API v2 ({@code POST /api/v2/alerts}): a firing alert's {@code endsAt} is {@code now + 3 x} the
     * re-post interval, so it stays active between re-posts but expires if the monitor is gone (Grafana's fix for
     * flapping); a resolved one carries its real end.
     */
    public List<Map<String, Object>> alertmanagerV2(List<DeliveryAlert> alerts, Instant now, Duration repostInterval) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (DeliveryAlert a : alerts) {
            Map<String, Object> alert = new LinkedHashMap<>();
            alert.put("labels", AlertNames.labels(a));
            alert.put("annotations", annotations(a));
            alert.put("startsAt", a.getStartsAt().toString());
            alert.put("endsAt", (a.getState() == AlertState.FIRING ? now.plus(repostInterval.multipliedBy(3)) : a.getEndsAt()).toString());
            alert.put("generatorURL", generatorUrl(a));
            out.add(alert);
        }
        return out;
    }

    /** One Slack message per group: the text is the fallback (and what notifications show), blocks the detail. */
    public List<Map<String, Object>> slack(List<DeliveryAlert> group) {
        List<Map<String, Object>> messages = new ArrayList<>();
        List<Map<String, Object>> blocks = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        for (DeliveryAlert a : group) {
            String line = (a.getState() == AlertState.FIRING ? ":rotating_light: " + a.getSeverity().name() + " FIRING: "
                    : ":white_check_mark: RESOLVED: ") + a.getSummary();
            if (blocks.size() + 2 > SLACK_MAX_BLOCKS) {
                messages.add(Map.of("text", text.toString().trim(), "blocks", blocks));
                blocks = new ArrayList<>();
                text = new StringBuilder();
            }
            text.append(line).append('\n');
            blocks.add(Map.of("type", "section", "text", Map.of("type", "mrkdwn", "text", "*" + escape(line) + "*\n" + escape(a.getDescription()))));
            String context = "since " + a.getStartsAt() + (a.getEndsAt() == null ? "" : ", ended " + a.getEndsAt())
                    + (a.getCode() == null ? "" : " · code " + escape(a.getCode()))
                    + (a.getSampleMsgKeys().isEmpty() ? "" : " · e.g. " + (a.getLookupUrl() == null ? escape(a.getSampleMsgKeys().get(0))
                    : "<" + a.getLookupUrl() + "|" + escape(a.getSampleMsgKeys().get(0)) + ">"))
                    + " · fingerprint " + a.getFingerprint();
            blocks.add(Map.of("type", "context", "elements", List.of(Map.of("type", "mrkdwn", "text", context))));
        }
        messages.add(Map.of("text", text.toString().trim(), "blocks", blocks));
        return messages;
    }

    static Map<String, String> annotations(DeliveryAlert a) {
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put("summary", a.getSummary());
        annotations.put("description", a.getDescription());
        annotations.put("value", Double.toString(a.getValue()));
        annotations.put("threshold", Double.toString(a.getThreshold()));
        annotations.put("count", Long.toString(a.getCount()));
        if (a.getCode() != null) {
            annotations.put("code", a.getCode());
        }
        if (!a.getSampleMsgKeys().isEmpty()) {
            annotations.put("sampleMsgKeys", String.join(",", a.getSampleMsgKeys()));
        }
        if (a.getLookupUrl() != null) {
            annotations.put("lookupURL", a.getLookupUrl());
        }
        return annotations;
    }

    private String generatorUrl(DeliveryAlert a) {
        return externalUrl + "/v1/alerts/" + a.getFingerprint();
    }

    private static Map<String, String> common(List<Map<String, String>> maps) {
        Map<String, String> common = new LinkedHashMap<>(maps.get(0));
        for (Map<String, String> m : maps) {
            common.entrySet().removeIf(e -> !e.getValue().equals(m.get(e.getKey())));
        }
        return common;
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
