package dev.deliverytracker.send.provider.bizgo;

import dev.deliverytracker.send.provider.AnswerDisposition;
import dev.deliverytracker.support.TsvResource;

import java.util.HashMap;
import java.util.Map;

/**
 * Bizgo's send answer codes as data ({@code bizgo/send-codes.tsv}): what each code means in each of the three
 * layers, and what to do about it. One table instead of ifs scattered over the adapter.
 */
public final class BizgoCodes {

    public enum Layer { GATEWAY, SERVICE, DESTINATION }

    public record Entry(AnswerDisposition disposition, String meaning) {
    }

    private static final String RESOURCE = "/bizgo/send-codes.tsv";

    private final Map<String, Entry> entries;

    private BizgoCodes(Map<String, Entry> entries) {
        this.entries = Map.copyOf(entries);
    }

    public static BizgoCodes load() {
        Map<String, Entry> entries = new HashMap<>();
        for (TsvResource.Row row : TsvResource.read(RESOURCE, 4, "layer, code, disposition, meaning")) {
            String key = Layer.valueOf(row.cell(0).toUpperCase(java.util.Locale.ROOT)) + ":" + row.cell(1);
            if (entries.put(key, new Entry(AnswerDisposition.valueOf(row.cell(2)), row.cell(3))) != null) {
                throw new IllegalStateException(row.where() + ": " + key + " is listed twice");
            }
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
            return new Entry(AnswerDisposition.REJECTED, "Unknown destination code");
        }
        if (httpStatus == 429) {
            return new Entry(AnswerDisposition.RATE_LIMITED, "Too many requests");
        }
        return httpStatus >= 500
                ? new Entry(AnswerDisposition.RETRY_IF_IDEMPOTENT, "Unknown server error")
                : new Entry(AnswerDisposition.REJECTED, "Unknown code");
    }
}
