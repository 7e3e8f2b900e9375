package dev.deliverytracker.send.provider;

import dev.deliverytracker.events.Channel;
import dev.deliverytracker.send.dispatch.ChannelLimits;

import java.nio.charset.Charset;
import java.util.Optional;

/**
 * The text limits Korean carriers and KakaoTalk put on every provider that sends through them: SMS 90 bytes and LMS
 * 2,000 bytes, counted in EUC-KR (a Hangul syllable is 2 bytes, so 45 of them fill an SMS; no emoji), and an AlimTalk
 * text of at most 1,000 characters.
 */
public final class KoreanCarrierLimits implements ChannelLimits {

    public static final KoreanCarrierLimits INSTANCE = new KoreanCarrierLimits();

    static final int SMS_BYTES = 90;
    static final int LMS_BYTES = 2_000;
    static final int ALIMTALK_CHARS = 1_000;
    private static final Charset EUC_KR = Charset.forName("EUC-KR");

    private KoreanCarrierLimits() {
    }

    @Override
    public Optional<String> check(Channel channel, String text) {
        if (channel == Channel.SMS) {
            return bytes(text, SMS_BYTES, "SMS", " (use LMS for longer texts)");
        }
        if (channel == Channel.LMS) {
            return bytes(text, LMS_BYTES, "LMS", "");
        }
        if (channel == Channel.ALIMTALK && text.length() > ALIMTALK_CHARS) {
            return Optional.of("ALIMTALK text is at most " + ALIMTALK_CHARS + " characters");
        }
        return Optional.empty();
    }

    private static Optional<String> bytes(String text, int limit, String channel, String hint) {
        if (!EUC_KR.newEncoder().canEncode(text)) {
            return Optional.of(channel + " text must be EUC-KR encodable (no emoji)");
        }
        int bytes = text.getBytes(EUC_KR).length;
        if (bytes > limit) {
            return Optional.of(channel + " text is " + bytes + " bytes in EUC-KR after variables; at most " + limit + hint);
        }
        return Optional.empty();
    }
}
