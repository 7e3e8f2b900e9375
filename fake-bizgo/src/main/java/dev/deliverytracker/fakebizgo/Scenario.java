package dev.deliverytracker.fakebizgo;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What happens to one message after the fake accepted it: which delivery reports it produces, and when.
 *
 * @param kind        the shape of the story
 * @param failureCode the report code of the failing attempt, for {@link Kind#FAILED} and {@link Kind#FALLBACK_DELIVERED}
 */
public record Scenario(Kind kind, String failureCode) {

    /** Bizgo's one success report code. */
    public static final String DELIVERED_CODE = "10000";

    public enum Kind {
        /** One report, 10000, on the first channel. */
        DELIVERED,
        /** Every channel of the flow is tried and fails with {@code failureCode}. */
        FAILED,
        /** The first channel fails with {@code failureCode}, the second is delivered (a single-channel flow just fails). */
        FALLBACK_DELIVERED,
        /** No report, ever: the message goes stuck. */
        SILENT,
        /** Delivered, and the same report arrives twice (Bizgo re-sends up to three times). */
        REPORTED_TWICE,
        /** Delivered, and the report is sent before the send API has answered. */
        REPORTED_BEFORE_ANSWER
    }

    public Scenario {
        Objects.requireNonNull(kind, "kind");
        if ((kind == Kind.FAILED || kind == Kind.FALLBACK_DELIVERED) && (failureCode == null || failureCode.isBlank())) {
            throw new IllegalArgumentException(kind + " needs a failure code");
        }
    }

    public static Scenario delivered() {
        return new Scenario(Kind.DELIVERED, null);
    }

    public static Scenario failed(String code) {
        return new Scenario(Kind.FAILED, code);
    }

    public static Scenario fallbackThenDelivered(String firstChannelCode) {
        return new Scenario(Kind.FALLBACK_DELIVERED, firstChannelCode);
    }

    public static Scenario silent() {
        return new Scenario(Kind.SILENT, null);
    }

    public static Scenario reportedTwice() {
        return new Scenario(Kind.REPORTED_TWICE, null);
    }

    public static Scenario reportedBeforeAnswer() {
        return new Scenario(Kind.REPORTED_BEFORE_ANSWER, null);
    }

    /** One report to produce: on the flow's channel at {@code channelIndex}, with {@code code}. */
    public record PlannedReport(int channelIndex, String code) {
    }

    /** The reports this scenario produces for a message whose flow has {@code channels} channels, in order. */
    public List<PlannedReport> plan(int channels) {
        List<PlannedReport> reports = new ArrayList<>();
        switch (kind) {
            case DELIVERED, REPORTED_BEFORE_ANSWER -> reports.add(new PlannedReport(0, DELIVERED_CODE));
            case REPORTED_TWICE -> {
                reports.add(new PlannedReport(0, DELIVERED_CODE));
                reports.add(new PlannedReport(0, DELIVERED_CODE));
            }
            case FAILED -> {
                for (int i = 0; i < channels; i++) {
                    reports.add(new PlannedReport(i, failureCode));
                }
            }
            case FALLBACK_DELIVERED -> {
                reports.add(new PlannedReport(0, failureCode));
                if (channels > 1) {
                    reports.add(new PlannedReport(1, DELIVERED_CODE));
                }
            }
            case SILENT -> {
            }
        }
        return reports;
    }

    /**
     * The fake's number convention, so a person (or the demo) picks a story by picking a recipient: by the last two
     * digits of the number. 00–79 delivered; 80–84 AlimTalk fails 64016 (not a KakaoTalk user) and the SMS fallback is
     * delivered; 85–89 fails 64016; 90–92 fails 64008 (no permission for the account); 93–95 fails 22000 (carrier
     * timeout); 96–97 never reported; 98 reported twice; 99 reported before the send answer.
     */
    public static Scenario byNumber(String to) {
        String digits = to.replaceAll("[^0-9]", "");
        int tail = digits.length() < 2 ? 0 : Integer.parseInt(digits.substring(digits.length() - 2));
        if (tail < 80) {
            return delivered();
        } else if (tail < 85) {
            return fallbackThenDelivered("64016");
        } else if (tail < 90) {
            return failed("64016");
        } else if (tail < 93) {
            return failed("64008");
        } else if (tail < 96) {
            return failed("22000");
        } else if (tail < 98) {
            return silent();
        } else if (tail == 98) {
            return reportedTwice();
        }
        return reportedBeforeAnswer();
    }
}
