package dev.deliverytracker.monitor.topology;

import dev.deliverytracker.events.ChannelAttempt;
import dev.deliverytracker.events.Classification;
import dev.deliverytracker.events.DeliveryState;
import dev.deliverytracker.events.DeliveryStatus;
import dev.deliverytracker.monitor.rules.RuleSet;
import dev.deliverytracker.monitor.state.ProviderActivity;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;

/** Folds one status into a provider's {@link ProviderActivity}: accepted sends, reports, successes, account failures. */
final class ActivityTracker {

    static final int MAX_SAMPLES = 5;

    private ActivityTracker() {
    }

    static ProviderActivity empty() {
        return ProviderActivity.newBuilder().build();
    }

    /** @return true when the status is an account failure (the rule fires at once, without waiting for a window) */
    static boolean apply(ProviderActivity a, DeliveryStatus s, RuleSet.AccountFailure rule) {
        long at = s.getResolvedAt().toEpochMilli();
        if (s.getStatus() == DeliveryState.PENDING && s.getPreviousStatus() == null) {
            a.setLastAcceptedAt(Math.max(a.getLastAcceptedAt(), at));
            if (at >= a.getLastReportAt()) {
                if (a.getAcceptedSinceReport() == 0) {
                    a.setFirstUnansweredAcceptedAt(at);
                }
                a.setAcceptedSinceReport(a.getAcceptedSinceReport() + 1);
            }
        }
        if (fromReport(s)) {
            a.setLastReportAt(Math.max(a.getLastReportAt(), at));
            a.setAcceptedSinceReport(0);
            a.setFirstUnansweredAcceptedAt(0);
        }
        if (s.getStatus() == DeliveryState.SENT) {
            a.setLastSuccessAt(Math.max(a.getLastSuccessAt(), at));
        }
        if (!isAccountFailure(s, rule)) {
            return false;
        }
        if (a.getAccountFailureStartedAt() == 0) {
            a.setAccountFailureStartedAt(at);
            a.setAccountFailures(0);
            a.setAccountFailureSamples(new ArrayList<>());
            a.setAccountFailureLabels(new HashMap<>());
        }
        if (!countedAtItsFallback(s)) {
            a.setAccountFailures(a.getAccountFailures() + 1);
        }
        a.setLastAccountFailureAt(Math.max(a.getLastAccountFailureAt(), at));
        a.setAccountFailureCode(s.getCode());
        a.setAccountFailureText(s.getText());
        a.setAccountFailureSamples(prepend(a.getAccountFailureSamples(), s.getMsgKey()));
        String channel = s.getChannel() == null ? "UNKNOWN" : s.getChannel().name();
        a.getAccountFailureLabels().merge(channel, 1L, Long::sum);
        return true;
    }

    /** Ends the account-failure episode (its alert resolved). */
    static void endAccountFailureEpisode(ProviderActivity a) {
        a.setAccountFailureStartedAt(0);
        a.setAccountFailures(0);
        a.setAccountFailureSamples(new ArrayList<>());
        a.setAccountFailureLabels(new HashMap<>());
    }

    static boolean isAccountFailure(DeliveryStatus s, RuleSet.AccountFailure rule) {
        if (s.getClassification() == Classification.ACCOUNT_FAILURE) {
            return true;
        }
        return s.getStatus() == DeliveryState.DEAD_LETTER && s.getClassification() == Classification.REJECTED
                && s.getCode() != null && rule.rejectedCodes().contains(s.getCode());
    }

    /**
     * A message's final failure whose earlier channel already failed with an account failure: its FALLBACK was counted,
     * so the episode counts messages, not channel attempts (an AlimTalk and its SMS fallback both failing 64008 is one
     * message).
     */
    static boolean countedAtItsFallback(DeliveryStatus s) {
        if (s.getStatus() != DeliveryState.DEAD_LETTER) {
            return false;
        }
        List<ChannelAttempt> attempts = s.getAttempts();
        for (int i = 0; i < attempts.size() - 1; i++) {
            if (attempts.get(i).getClassification() == Classification.ACCOUNT_FAILURE) {
                return true;
            }
        }
        return false;
    }

    /** A status decided by a provider's report: proof that reports reach us. */
    static boolean fromReport(DeliveryStatus s) {
        return switch (s.getStatus()) {
            case SENT, FALLBACK, UNMATCHED_REPORT -> true;
            case DEAD_LETTER -> s.getClassification() != Classification.REJECTED && s.getClassification() != Classification.NO_REPORT;
            default -> false;
        };
    }

    static List<String> prepend(List<String> samples, String msgKey) {
        List<String> next = new ArrayList<>(MAX_SAMPLES);
        next.add(msgKey);
        for (String s : samples) {
            if (next.size() == MAX_SAMPLES) {
                break;
            }
            if (!s.equals(msgKey)) {
                next.add(s);
            }
        }
        return next;
    }
}
