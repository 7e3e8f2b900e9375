package dev.deliverytracker.fakesens;

import java.util.Objects;

/**
 * What happens to one AlimTalk message after the fake accepted it, as its result API will show it.
 *
 * @param kind the story
 * @param code the AlimTalk {@code messageStatusCode} of a failure ({@link Kind#FAILED})
 */
public record SensScenario(Kind kind, String code) {

    /** The AlimTalk result code of a delivered message. */
    public static final String DELIVERED_CODE = "0000";

    public enum Kind {
        /** Delivered by AlimTalk. */
        DELIVERED,
        /**
         * AlimTalk fails with {@code code}. SENS's AlimTalk result API documents no result of the SMS/LMS fail-over, so
         * the fake shows none either.
         */
        FAILED,
        /** Never leaves "processing". */
        PROCESSING
    }

    public SensScenario {
        Objects.requireNonNull(kind, "kind");
        if (kind == Kind.FAILED && (code == null || code.isBlank())) {
            throw new IllegalArgumentException(kind + " needs a result code");
        }
    }

    public static SensScenario delivered() {
        return new SensScenario(Kind.DELIVERED, null);
    }

    public static SensScenario failed(String code) {
        return new SensScenario(Kind.FAILED, code);
    }

    public static SensScenario processing() {
        return new SensScenario(Kind.PROCESSING, null);
    }

    /**
     * The fakes' shared number convention (fake Bizgo's too), so a person picks a story by picking a recipient, by the
     * last two digits: 00–79 delivered; 80–89 fails 3018 (cannot be sent: not a KakaoTalk user, or blocked); 90–92
     * fails 3015 (template not found: the account-failure class); 93–95 fails 3022 (outside the hours Kakao allows);
     * 96–99 stays "processing" (never resolved). Kakao's codes as public integrations use them; SENS documents only
     * 0000 as success.
     */
    public static SensScenario byNumber(String to) {
        String digits = to.replaceAll("[^0-9]", "");
        int tail = digits.length() < 2 ? 0 : Integer.parseInt(digits.substring(digits.length() - 2));
        if (tail < 80) {
            return delivered();
        } else if (tail < 90) {
            return failed("3018");
        } else if (tail < 93) {
            return failed("3015");
        } else if (tail < 96) {
            return failed("3022");
        }
        return processing();
    }
}
