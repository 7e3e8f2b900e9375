package dev.deliverytracker.monitor.dashboard;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A window the page asks about: the last N minutes, including the minute in progress. Written {@code 15m}, {@code 1h},
 * {@code 24h} (any whole number of minutes or hours from 1 minute to 24 hours).
 *
 * @param text    as asked
 * @param minutes how many minute buckets it covers
 */
public record DashboardWindow(String text, int minutes) {

    public static final DashboardWindow DEFAULT = new DashboardWindow("1h", 60);
    private static final Pattern FORMAT = Pattern.compile("([1-9][0-9]{0,4})([mh])");
    private static final int MAX_MINUTES = 24 * 60;

    /** @throws IllegalArgumentException saying what is accepted */
    public static DashboardWindow parse(String text) {
        if (text == null || text.isBlank()) {
            return DEFAULT;
        }
        Matcher matcher = FORMAT.matcher(text.trim());
        if (matcher.matches()) {
            int minutes = Integer.parseInt(matcher.group(1)) * (matcher.group(2).equals("h") ? 60 : 1);
            if (minutes <= MAX_MINUTES) {
                return new DashboardWindow(text.trim(), minutes);
            }
        }
        throw new IllegalArgumentException("window must be minutes or hours from 1m to 24h, such as 15m, 1h or 24h");
    }

    public Duration duration() {
        return Duration.ofMinutes(minutes);
    }

    /** The start of the first minute bucket in the window ending with the minute that holds {@code nowMillis}. */
    long firstMinute(long nowMillis) {
        return lastMinute(nowMillis) - (minutes - 1) * DashboardStores.MINUTE.toMillis();
    }

    long lastMinute(long nowMillis) {
        return nowMillis - Math.floorMod(nowMillis, DashboardStores.MINUTE.toMillis());
    }
}
