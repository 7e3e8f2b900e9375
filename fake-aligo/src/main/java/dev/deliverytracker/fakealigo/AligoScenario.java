package dev.deliverytracker.fakealigo;

/**
 * What Aligo's history shows for one AlimTalk recipient: still sending (an empty {@code rslt}, a {@code msgid} starting
 * with {@code Q}), or a final {@code rslt}: {@code 0} delivered, otherwise Kakao's report letter.
 *
 * @param rslt          the final result, or null for "never leaves sending"
 * @param failoverState what the fail-over SMS's {@code sms_state} becomes when the AlimTalk failed and the send asked
 *                      for a fail-over ({@code 발송완료}: delivered), or null for none
 */
public record AligoScenario(String rslt, String text, String failoverState) {

    /** Aligo's SMS state for a delivered message. */
    public static final String SMS_DELIVERED = "발송완료";

    public static AligoScenario delivered() {
        return new AligoScenario("0", "성공", null);
    }

    public static AligoScenario failed(String rslt, String text) {
        return new AligoScenario(rslt, text, "발/착신 번호 에러");
    }

    public static AligoScenario failedThenSmsDelivered(String rslt, String text) {
        return new AligoScenario(rslt, text, SMS_DELIVERED);
    }

    public static AligoScenario sending() {
        return new AligoScenario(null, null, null);
    }

    /**
     * The fakes' shared number convention, by the last two digits: 00–79 delivered; 80–84 {@code A} (not a KakaoTalk
     * user) and the fail-over SMS, if asked for, delivered; 85–89 {@code A} and the fail-over SMS fails too; 90–92 {@code M} (template not found: the account-failure class); 93–95 {@code B} (blocked); 96–99 never
     * leaves "sending". Kakao's letters as public integrations list them; Aligo publishes no table.
     */
    public static AligoScenario byNumber(String to) {
        String digits = to.replaceAll("[^0-9]", "");
        int tail = digits.length() < 2 ? 0 : Integer.parseInt(digits.substring(digits.length() - 2));
        if (tail < 80) {
            return delivered();
        } else if (tail < 85) {
            return failedThenSmsDelivered("A", "카카오톡을 사용하지 않는 사용자");
        } else if (tail < 90) {
            return failed("A", "카카오톡을 사용하지 않는 사용자");
        } else if (tail < 93) {
            return failed("M", "템플릿을 찾을 수 없음");
        } else if (tail < 96) {
            return failed("B", "알림톡 차단");
        }
        return sending();
    }
}
