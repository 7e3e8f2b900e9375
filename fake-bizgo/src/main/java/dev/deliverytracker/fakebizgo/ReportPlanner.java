package dev.deliverytracker.fakebizgo;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the reports a {@link Scenario} produces for one accepted message, in Bizgo's webhook format (times with
 * milliseconds, KST offset), and turns them into the polling and inquiry format (times without milliseconds).
 */
final class ReportPlanner {

    private static final ZoneId KST = ZoneId.of("Asia/Seoul");
    private static final DateTimeFormatter WEBHOOK_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX").withZone(KST);
    private static final DateTimeFormatter POLL_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX").withZone(KST);

    private final Clock clock;

    ReportPlanner(Clock clock) {
        this.clock = clock;
    }

    /** The reports of one message, in the order they arrive; {@code channels} are the flow's items (alimtalk, sms, mms). */
    List<ObjectNode> plan(Scenario scenario, String msgKey, List<String> channels, String ref) {
        List<ObjectNode> reports = new ArrayList<>();
        for (Scenario.PlannedReport planned : scenario.plan(channels.size())) {
            String channel = channels.get(planned.channelIndex());
            Instant now = clock.instant();
            ObjectNode report = BizgoJson.object();
            report.put("msgKey", msgKey);
            report.put("serviceType", switch (channel) {
                case "alimtalk" -> "ALIMTALK";
                case "mms" -> "MMS";
                default -> "SMS";
            });
            report.put("msgType", switch (channel) {
                case "alimtalk" -> "AT";
                case "mms" -> "LM";
                default -> "SM";
            });
            report.put("sendTime", WEBHOOK_TIME.format(now));
            report.put("reportTime", WEBHOOK_TIME.format(now));
            report.put("reportType", "RP");
            report.put("reportCode", planned.code());
            report.put("reportText", Scenario.DELIVERED_CODE.equals(planned.code()) ? "Success" : "Failure " + planned.code());
            if (!"alimtalk".equals(channel)) {
                report.put("carrier", "SKT");
            }
            if (ref != null) {
                report.put("ref", ref);
            }
            reports.add(report);
        }
        return reports;
    }

    /** The same report as the polling and inquiry APIs show it (whole seconds). */
    static ObjectNode pollingForm(ObjectNode webhookReport) {
        ObjectNode stored = webhookReport.deepCopy();
        stored.put("sendTime", POLL_TIME.format(WEBHOOK_TIME.parse(webhookReport.get("sendTime").asText(), Instant::from)));
        stored.put("reportTime", POLL_TIME.format(WEBHOOK_TIME.parse(webhookReport.get("reportTime").asText(), Instant::from)));
        return stored;
    }
}
