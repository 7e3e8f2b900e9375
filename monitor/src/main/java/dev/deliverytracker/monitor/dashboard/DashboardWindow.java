package dev.deliverytracker.monitor.dashboard;

import java.util.ArrayList;
import java.util.List;
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

    /** The start of the first minute bucket in the window ending with the minute that holds {@code nowMillis}. */
    long firstMinute(long nowMillis) {
        return lastMinute(nowMillis) - (minutes - 1) * DashboardStores.MINUTE.toMillis();
    }

    long lastMinute(long nowMillis) {
        return nowMillis - Math.floorMod(nowMillis, DashboardStores.MINUTE.toMillis());
    }

    /**
     * Where to read a window: whole hour buckets from {@code hoursFrom} to {@code hoursTo} (starts, inclusive; -1 for
     * none), and minute buckets in each of {@code minuteRanges} (pairs of first and last minute start, inclusive).
     */
    record Split(long hoursFrom, long hoursTo, List<long[]> minuteRanges) {
    }

    /**
     * Where a breakdown over this window reads: a window of up to an hour, its minute buckets, exactly; a longer one,
     * whole hour buckets only: the hour in progress and as many before it as the window has hours, rounded up (a
     * 24 h breakdown starts at the top of the hour 23 hours ago: up to 59 minutes later than the tiles' window, so
     * it can count less than the tiles). So a 24 h breakdown reads 24 buckets per row, never 1,440.
     */
    Split split(long nowMillis) {
        if (minutes <= 60) {
            return new Split(-1, -1, List.of(new long[] {firstMinute(nowMillis), lastMinute(nowMillis)}));
        }
        long hour = DashboardStores.HOUR.toMillis();
        long current = nowMillis - Math.floorMod(nowMillis, hour);
        int hours = (minutes + 59) / 60;
        return new Split(current - (hours - 1) * hour, current, List.of());
    }

    /**
     * The window exactly, as the whole hours inside it (from hour buckets) and the minutes around them (from minute
     * buckets): a 24 h window reads 23 or 24 hour buckets and at most 118 minute buckets per key, not 1,440.
     */
    Split exactSplit(long nowMillis) {
        long minute = DashboardStores.MINUTE.toMillis();
        long hour = DashboardStores.HOUR.toMillis();
        long first = firstMinute(nowMillis);
        long last = lastMinute(nowMillis);
        long firstHour = first + Math.floorMod(-first, hour);                    // the first hour start at or after the window's start
        long endOfHours = last + minute - Math.floorMod(last + minute, hour);    // the hour start at or before the window's end
        if (firstHour + hour > endOfHours) {
            return new Split(-1, -1, List.of(new long[] {first, last}));
        }
        List<long[]> ranges = new ArrayList<>();
        if (first < firstHour) {
            ranges.add(new long[] {first, firstHour - minute});
        }
        if (endOfHours <= last) {
            ranges.add(new long[] {endOfHours, last});
        }
        return new Split(firstHour, endOfHours - hour, ranges);
    }

    /** Where the rows of a breakdown over this window start (see {@link Split}). */
    long breakdownFrom(long nowMillis) {
        Split split = split(nowMillis);
        return split.hoursFrom() >= 0 ? split.hoursFrom() : firstMinute(nowMillis);
    }
}
