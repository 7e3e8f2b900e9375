package dev.deliverytracker.monitor.api;

import dev.deliverytracker.events.DeliveryAlert;
import dev.deliverytracker.monitor.notify.ActiveAlerts;
import dev.deliverytracker.monitor.notify.AlertNames;
import dev.deliverytracker.monitor.notify.FailedNotifications;
import dev.deliverytracker.monitor.notify.Resendable;
import dev.deliverytracker.support.Problem;
import dev.deliverytracker.support.webhook.OutboundWebhook;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The monitor's API: the alerts as the channels know them ({@code GET /v1/alerts}, {@code /v1/alerts/{fingerprint}},
 * the generatorURL of every notification), and the notifications that finally failed, to list and re-send
 * ({@code GET /v1/notifications/failed}, {@code POST /v1/notifications/failed/{id}/resend}), which need
 * {@code Authorization: Bearer <delivery.monitor.admin-token>} (MONITOR_ADMIN_TOKEN; without one configured they
 * answer 403).
 */
@Controller
@ExecuteOn(TaskExecutors.BLOCKING)
public class MonitorController {

    private final ActiveAlerts alerts;
    private final FailedNotifications failed;
    private final List<Resendable> channels;
    private final String adminToken;

    public MonitorController(ActiveAlerts alerts, FailedNotifications failed, List<Resendable> channels,
                             @Nullable @Value("${delivery.monitor.admin-token:}") String adminToken) {
        this.alerts = alerts;
        this.failed = failed;
        this.channels = channels;
        this.adminToken = adminToken == null ? "" : adminToken;
    }

    @Get("/v1/alerts")
    List<Map<String, Object>> list() {
        return alerts.all().stream().map(MonitorController::view).toList();
    }

    @Get("/v1/alerts/{fingerprint}")
    HttpResponse<?> one(@PathVariable String fingerprint) {
        return alerts.get(fingerprint).<HttpResponse<?>>map(a -> HttpResponse.ok(view(a)))
                .orElseGet(() -> Problem.response(HttpStatus.NOT_FOUND, "unknown-alert", "Unknown alert",
                        "No alert with fingerprint " + fingerprint.replaceAll("[^0-9a-f]", "?") + " is known to this monitor"));
    }

    @Get("/v1/notifications/failed")
    HttpResponse<?> failed(@Nullable @Header("Authorization") String authorization) {
        HttpResponse<?> refused = authorize(authorization);
        return refused != null ? refused : HttpResponse.ok(failed.list());
    }

    @Post("/v1/notifications/failed/{id}/resend")
    HttpResponse<?> resend(@PathVariable String id, @Nullable @Header("Authorization") String authorization) {
        HttpResponse<?> refused = authorize(authorization);
        if (refused != null) {
            return refused;
        }
        FailedNotifications.Failed kept = failed.get(id).orElse(null);
        if (kept == null) {
            return Problem.response(HttpStatus.NOT_FOUND, "unknown-notification", "Unknown notification", "No failed notification with this id is kept");
        }
        Resendable channel = channels.stream().filter(c -> c.channel().equals(kept.channel())).findFirst().orElse(null);
        if (channel == null) {
            return Problem.response(HttpStatus.CONFLICT, "channel-not-configured", "Channel not configured",
                    "The " + kept.channel() + " channel is not configured on this monitor; configure it, then re-send");
        }
        OutboundWebhook.Result result = channel.resend(kept);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("id", id);
        answer.put("delivered", result.delivered());
        answer.put("status", result.status());
        answer.put("attempts", result.attempts());
        if (result.delivered()) {
            failed.remove(id);
            return HttpResponse.ok(answer);
        }
        answer.put("error", result.error());
        return HttpResponse.status(HttpStatus.BAD_GATEWAY).body(answer);
    }

    private HttpResponse<?> authorize(String authorization) {
        if (adminToken.isEmpty()) {
            return Problem.response(HttpStatus.FORBIDDEN, "admin-disabled", "Admin API disabled",
                    "Set delivery.monitor.admin-token (MONITOR_ADMIN_TOKEN) to list and re-send failed notifications");
        }
        String expected = "Bearer " + adminToken;
        if (authorization == null || !MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                authorization.getBytes(StandardCharsets.UTF_8))) {
            return Problem.response(HttpStatus.UNAUTHORIZED, "unauthorized", "Unauthorized", "Authorization: Bearer <admin token> required");
        }
        return null;
    }

    static Map<String, Object> view(DeliveryAlert a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("fingerprint", a.getFingerprint());
        m.put("alertname", AlertNames.alertname(a.getRule()));
        m.put("rule", a.getRule().name());
        m.put("severity", a.getSeverity().name());
        m.put("state", a.getState().name());
        m.put("labels", new LinkedHashMap<>(a.getLabels()));
        m.put("summary", a.getSummary());
        m.put("description", a.getDescription());
        m.put("value", a.getValue());
        m.put("threshold", a.getThreshold());
        m.put("count", a.getCount());
        m.put("total", a.getTotal());
        if (a.getCode() != null) {
            m.put("code", a.getCode());
        }
        m.put("sampleMsgKeys", a.getSampleMsgKeys());
        m.put("startsAt", a.getStartsAt().toString());
        if (a.getEndsAt() != null) {
            m.put("endsAt", a.getEndsAt().toString());
        }
        m.put("updatedAt", a.getUpdatedAt().toString());
        m.put("sequence", a.getSequence());
        if (a.getLookupUrl() != null) {
            m.put("lookupUrl", a.getLookupUrl());
        }
        return m;
    }
}
