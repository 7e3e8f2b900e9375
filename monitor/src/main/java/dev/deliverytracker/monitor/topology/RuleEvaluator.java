package dev.deliverytracker.monitor.topology;

import dev.deliverytracker.events.AlertRule;
import dev.deliverytracker.monitor.rules.Dimension;
import dev.deliverytracker.monitor.rules.RuleSet;
import dev.deliverytracker.monitor.state.ProviderActivity;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The five rules as pure functions of one provider's state at one instant: each returns the {@link Candidate}s it
 * has an opinion on, active or not, with the words a person on call needs. Whether a candidate becomes a FIRING or
 * RESOLVED event is {@link AlertBook}'s decision; the rules only need to know which alerts fire now (hysteresis).
 */
final class RuleEvaluator {

    /** A rate subject: one dimension's value within the provider. */
    record Subject(Dimension dimension, String value) {
    }

    private RuleEvaluator() {
    }

    static Candidate accountFailure(String provider, RuleSet.AccountFailure rule, ProviderActivity a, long now) {
        SortedMap<String, String> labels = labels(provider);
        boolean episode = a.getAccountFailureStartedAt() != 0;
        boolean recovered = a.getLastSuccessAt() > a.getLastAccountFailureAt()
                && now - a.getLastAccountFailureAt() >= rule.resolveAfter().toMillis();
        boolean active = rule.enabled() && episode && !recovered;
        String code = a.getAccountFailureCode();
        String text = a.getAccountFailureText();
        String perChannel = a.getAccountFailureLabels().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
        String summary = active
                ? provider + " refuses our account: " + a.getAccountFailures() + " message(s) failed with " + codeWords(code, text)
                  + " since " + time(a.getAccountFailureStartedAt())
                : provider + " delivers again: no account failure since " + time(a.getLastAccountFailureAt());
        String description = active
                ? "Every message through " + provider + " can fail: the provider answers with an account-level code ("
                  + codeWords(code, text) + "). " + a.getAccountFailures() + " message(s) failed since "
                  + time(a.getAccountFailureStartedAt()) + (perChannel.isEmpty() ? "" : " (" + perChannel + ")")
                  + ", the newest at " + time(a.getLastAccountFailureAt()) + ". Sends are still accepted by the API, so "
                  + "producers see no error. Check the " + provider + " account first: suspension or unpaid bill, the API "
                  + "key, the sender profile and templates. Resolves after a delivery through " + provider
                  + " succeeds and no account failure is seen for " + human(rule.resolveAfter()) + "."
                : "Deliveries through " + provider + " succeed again (last success " + time(a.getLastSuccessAt())
                  + ") and no account failure was seen for " + human(rule.resolveAfter()) + ". "
                  + a.getAccountFailures() + " message(s) failed during the episode that started "
                  + time(a.getAccountFailureStartedAt()) + "; they are DEAD_LETTER and are not re-sent by the pipeline.";
        return new Candidate(AlertRule.ACCOUNT_FAILURE, rule.severity(), labels, active, a.getAccountFailures(), 1,
                a.getAccountFailures(), 0, code, text, List.copyOf(a.getAccountFailureSamples()),
                episode ? a.getAccountFailureStartedAt() : now, summary, description);
    }

    static List<Candidate> failureRates(String provider, RuleSet.FailureRate rule, Map<Subject, WindowTotals> windows,
                                        Set<String> firing, long now) {
        List<Candidate> out = new ArrayList<>();
        if (!rule.enabled()) {
            return out;
        }
        for (Map.Entry<Subject, WindowTotals> entry : windows.entrySet()) {
            Subject subject = entry.getKey();
            if (!rule.dimensions().contains(subject.dimension())) {
                continue;
            }
            WindowTotals w = entry.getValue();
            SortedMap<String, String> labels = labels(provider);
            labels.put(subject.dimension().label(), subject.value());
            boolean isFiring = firing.contains(Candidate.fingerprint(AlertRule.FAILURE_RATE, labels));
            double rate = w.failureRate();
            boolean active = isFiring
                    ? w.settled > 0 && rate >= rule.resolveBelow()
                    : w.settled >= rule.minSamples() && rate >= rule.threshold();
            String code = w.topCode();
            String text = code == null ? null : w.codeTexts.get(code);
            String where = provider + " " + subject.dimension().label() + " " + subject.value();
            String summary = active
                    ? percent(rate) + " of deliveries fail for " + where + " (" + w.failed + " of " + w.settled + " in " + human(rule.window()) + ")"
                    : "Failure rate back to normal for " + where + " (" + percent(rate) + ")";
            String codes = w.codes.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(3)
                    .map(e -> codeWords(e.getKey(), w.codeTexts.get(e.getKey())) + ": " + e.getValue()).collect(Collectors.joining("; "));
            String description = active
                    ? w.failed + " of the " + w.settled + " deliveries settled in the last " + human(rule.window()) + " for " + where
                      + " failed (" + percent(rate) + ", alert at " + percent(rule.threshold()) + " with at least " + rule.minSamples()
                      + " settled). Top codes: " + codes + ". Look the samples up, and check whether one template, one origin or "
                      + "one channel carries the failures. Resolves below " + percent(rule.resolveBelow()) + "."
                    : "For " + where + ", " + w.failed + " of " + w.settled + " deliveries failed in the last " + human(rule.window())
                      + " (" + percent(rate) + ", below " + percent(rule.resolveBelow()) + ")" + (w.settled == 0 ? ": no deliveries settled." : ".");
            out.add(new Candidate(AlertRule.FAILURE_RATE, rule.severity(), labels, active, rate, rule.threshold(), w.failed, w.settled,
                    code, text, w.samples, now, summary, description));
        }
        return out;
    }

    static List<Candidate> stuckBacklogs(String provider, RuleSet.StuckBacklog rule, Map<String, StuckSummary> byChannel,
                                         Set<String> firing, long now) {
        List<Candidate> out = new ArrayList<>();
        if (!rule.enabled()) {
            return out;
        }
        byChannel.forEach((channel, s) -> {
            SortedMap<String, String> labels = labels(provider);
            labels.put(Dimension.CHANNEL.label(), channel);
            long oldestAge = s.count == 0 ? 0 : now - s.oldestSince;
            boolean active = s.count >= rule.count() || (s.count > 0 && oldestAge >= rule.oldest().toMillis());
            String where = provider + " " + channel;
            String summary = active
                    ? s.count + " deliveries stuck without a report for " + where + ", the oldest for " + human(Duration.ofMillis(oldestAge))
                    : "No more stuck backlog for " + where + " (" + s.count + " stuck)";
            String description = active
                    ? s.count + " deliveries through " + where + " passed their report deadline with no report (STUCK_PENDING); the oldest "
                      + "since " + time(s.oldestSince) + ". The provider accepted them but says nothing: check its status page, the "
                      + "report webhook or poller, and the carrier. Alert at " + rule.count() + " stuck or one older than "
                      + human(rule.oldest()) + ". A late report still settles them."
                    : "The stuck deliveries for " + where + " got their reports or expired: " + s.count + " remain.";
            out.add(new Candidate(AlertRule.STUCK_BACKLOG, rule.severity(), labels, active, s.count, rule.count(), s.count, 0,
                    null, null, List.copyOf(s.samples), s.count == 0 ? now : s.oldestSince, summary, description));
        });
        return out;
    }

    /** {@code judging}: false while the task is still catching up after a start, so a backlog is not taken for silence. */
    static Candidate reportsSilent(String provider, RuleSet.ReportsSilent rule, ProviderActivity a, boolean judging, Set<String> firing,
                                   long now) {
        SortedMap<String, String> labels = labels(provider);
        boolean isFiring = firing.contains(Candidate.fingerprint(AlertRule.REPORTS_SILENT, labels));
        long waiting = a.getAcceptedSinceReport() == 0 ? 0 : now - a.getFirstUnansweredAcceptedAt();
        boolean condition = rule.enabled() && a.getAcceptedSinceReport() >= rule.minSends() && waiting >= rule.silenceAfter().toMillis();
        boolean active = isFiring ? a.getAcceptedSinceReport() > 0 : judging && condition;
        String lastReport = a.getLastReportAt() == 0 ? "never (since the monitor's state began)" : time(a.getLastReportAt());
        String summary = active
                ? "No delivery report from " + provider + " for " + human(Duration.ofMillis(waiting)) + " while "
                  + a.getAcceptedSinceReport() + " send(s) were accepted"
                : "Reports from " + provider + " arrive again (last " + lastReport + ")";
        String description = active
                ? provider + " accepted " + a.getAcceptedSinceReport() + " send(s) since " + time(a.getFirstUnansweredAcceptedAt())
                  + " and no delivery report at all has arrived since (last report: " + lastReport + "). Nothing is known about "
                  + "those messages. Check that the report webhook URL is registered with " + provider + ", that its signing "
                  + "secret matches webhook-ingest's, that webhook-ingest answers (webhook_rejected_total), and the report "
                  + "poller if the account polls. Alert after " + human(rule.silenceAfter()) + " of silence with at least "
                  + rule.minSends() + " send(s)."
                : "A report from " + provider + " arrived at " + lastReport + "; reports flow again.";
        return new Candidate(AlertRule.REPORTS_SILENT, rule.severity(), labels, active, waiting / 1000.0,
                rule.silenceAfter().toSeconds(), a.getAcceptedSinceReport(), 0, null, null, List.of(),
                a.getFirstUnansweredAcceptedAt() == 0 ? now : a.getFirstUnansweredAcceptedAt(), summary, description);
    }

    static Candidate unmatchedReports(String provider, RuleSet.UnmatchedReports rule, WindowTotals w, long now) {
        SortedMap<String, String> labels = labels(provider);
        boolean active = rule.enabled() && w.unmatched >= rule.count();
        String summary = active
                ? w.unmatched + " report(s) from " + provider + " for sends we never recorded, in " + human(rule.window())
                : "Unmatched reports from " + provider + " back under " + rule.count() + " in " + human(rule.window());
        String description = active
                ? w.unmatched + " report(s) from " + provider + " in the last " + human(rule.window()) + " matched no send event "
                  + "(UNMATCHED_REPORT). Either send-service did not record the sends (is its outbox stuck? delivery_send_outbox_pending_bytes) "
                  + "or a producer sends to " + provider + " without send-service. Look the samples up. Alert at " + rule.count() + "."
                : w.unmatched + " unmatched report(s) from " + provider + " in the last " + human(rule.window()) + ".";
        return new Candidate(AlertRule.UNMATCHED_REPORTS, rule.severity(), labels, active, w.unmatched, rule.count(), w.unmatched, 0,
                null, null, w.samples, now, summary, description);
    }

    static SortedMap<String, String> labels(String provider) {
        SortedMap<String, String> labels = new TreeMap<>();
        labels.put("provider", provider);
        return labels;
    }

    static String time(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis).truncatedTo(ChronoUnit.SECONDS).toString();
    }

    static String human(Duration d) {
        long s = d.toSeconds();
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return (s / 60) + " min" + (s % 60 == 0 ? "" : " " + (s % 60) + " s");
        }
        return (s / 3600) + " h" + ((s % 3600) / 60 == 0 ? "" : " " + (s % 3600) / 60 + " min");
    }

    static String percent(double share) {
        return String.format(Locale.ROOT, "%.1f %%", share * 100);
    }

    static String codeWords(String code, String text) {
        if (code == null) {
            return "no code";
        }
        return text == null || text.isBlank() ? code : code + " \"" + text + "\"";
    }
}
