package dev.deliverytracker.fakealigo;

/**
 * What Aligo's history shows for one AlimTalk recipient: still sending (an empty {@code rslt}, a {@code msgid} starting
 * with {@code Q}), or a final {@code rslt}: {@code 0} delivered, otherwise Kakao's report letter.
 *
 * @param rslt the final result, or null for "never leaves sending"
 */
public record AligoScenario(String rslt, String text) {

    public static AligoScenario delivered() {
        return new AligoScenario("0", "성공");
    }

    public static AligoScenario failed(String rslt, String text) {
        return new AligoScenario(rslt, text);
    }

    public static AligoScenario sending() {
        return new AligoScenario(null, null);
    }

    /**
     * The fakes' shared number convention, by the last two digits: 00–79 delivered; 80–89 {@code A} (not a KakaoTalk
     * user); 90–92 {@code M} (template not found: the account-failure class); 93–95 {@code B} (blocked); 96–99 never
     * leaves "sending". Kakao's letters as public integrations list them; Aligo publishes no table.
     */
    public static AligoScenario byNumber(String to) {
        String digits = to.replaceAll("[^0-9]", "");
        int tail = digits.length() < 2 ? 0 : Integer.parseInt(digits.substring(digits.length() - 2));
        if (tail < 80) {
            return delivered();
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
