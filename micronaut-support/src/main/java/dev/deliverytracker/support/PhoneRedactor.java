package dev.deliverytracker.support;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks phone numbers inside free text that came from outside (provider result texts, raw reports) before it
 * reaches an event or a log line: Korean mobile and landline numbers, with or without separators, and {@code +82}
 * numbers. At least four digits are always hidden; the area prefix and up to the last four stay
 * ({@code 010-****-5678}, {@code 02-****-567} for a 9-digit Seoul number). Anything that is not a number is kept.
 */
public final class PhoneRedactor {

    /**
     * A number: {@code +82} (the leading 0 then optional) or a leading 0, a mobile or area prefix, then 7 or 8 more
     * digits in up to two groups; never inside a longer run of digits.
     */
    private static final Pattern NUMBER = Pattern.compile(
            "(?<![\\d+])(?:(\\+?82)[-. ]?0?|0)(1[016789]|2|[3-6][1-5]|70|50[2-8])[-. )]?(\\d{3,4})[-. ]?(\\d{4})(?!\\d)");

    private PhoneRedactor() {
    }

    public static String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        Matcher m = NUMBER.matcher(text);
        if (!m.find()) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        do {
            String prefix = m.group(1) != null ? "+82-" + m.group(2) : "0" + m.group(2);
            m.appendReplacement(out, Matcher.quoteReplacement(mask(prefix, m.group(3) + m.group(4))));
        } while (m.find());
        m.appendTail(out);
        return out.toString();
    }

    /** The same for raw bytes, one char per byte, so bytes that are not ASCII pass through untouched. */
    public static byte[] redact(byte[] raw) {
        return redact(new String(raw, StandardCharsets.ISO_8859_1)).getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * {@code prefix} shown, then at least four hidden digits, then what is left of the last four. Used for numbers
     * already parsed too, so every masked number in the pipeline looks the same.
     */
    public static String mask(String prefix, String subscriber) {
        int hidden = Math.max(4, subscriber.length() - 4);
        int shown = Math.max(0, subscriber.length() - hidden);
        return prefix + "-" + "*".repeat(hidden) + "-" + subscriber.substring(subscriber.length() - shown);
    }
}
