package dev.deliverytracker.send.provider.bizgo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Bizgo's send answer codes as data ({@code bizgo/send-codes.tsv}): what each code means in each of the three
 * layers, and what to do about it. One table instead of ifs scattered over the adapter.
 */
public final class BizgoCodes {

    public enum Layer { GATEWAY, SERVICE, DESTINATION }

    public enum Disposition { ACCEPTED, DUPLICATE, REJECTED, MISCONFIGURED, RATE_LIMITED, RETRY_IF_IDEMPOTENT }

    public record Entry(Disposition disposition, String meaning) {
    }

    private static final String RESOURCE = "bizgo/send-codes.tsv";

    private final Map<String, Entry> entries;

    private BizgoCodes(Map<String, Entry> entries) {
        this.entries = Map.copyOf(entries);
    }

    public static BizgoCodes load() {
        Map<String, Entry> entries = new HashMap<>();
        try (InputStream in = BizgoCodes.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            int number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] cells = line.split("\t");
                if (cells.length < 4) {
                    throw new IllegalStateException(RESOURCE + " line " + number + ": expected layer, code, disposition, meaning");
                }
                Layer layer = Layer.valueOf(cells[0].trim().toUpperCase(java.util.Locale.ROOT));
                String key = layer + ":" + cells[1].trim();
                if (entries.put(key, new Entry(Disposition.valueOf(cells[2].trim()), cells[3].trim())) != null) {
                    throw new IllegalStateException(RESOURCE + " line " + number + ": " + key + " is listed twice");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new BizgoCodes(entries);
    }

    /** What {@code code} in {@code layer} means, given the HTTP status it came with; unknown codes get the safe default. */
    public Entry classify(Layer layer, String code, int httpStatus) {
        Entry known = entries.get(layer + ":" + code);
        if (known != null) {
            return known;
        }
        if (layer == Layer.DESTINATION) {
            return new Entry(Disposition.REJECTED, "Unknown destination code");
        }
        if (httpStatus == 429) {
            return new Entry(Disposition.RATE_LIMITED, "Too many requests");
        }
        return httpStatus >= 500
                ? new Entry(Disposition.RETRY_IF_IDEMPOTENT, "Unknown server error")
                : new Entry(Disposition.REJECTED, "Unknown code");
    }
}
