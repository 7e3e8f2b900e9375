package dev.deliverytracker.send.provider.sens;

import dev.deliverytracker.send.provider.AnswerDisposition;
import dev.deliverytracker.support.TsvResource;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** NCP SENS's send answers as data ({@code ncp-sens/send-codes.tsv}): the HTTP status, then each message's code. */
public final class SensCodes {

    public enum Layer { HTTP, MESSAGE }

    public record Entry(AnswerDisposition disposition, String meaning) {
    }

    private static final String RESOURCE = "/ncp-sens/send-codes.tsv";

    private final Map<String, Entry> entries;

    private SensCodes(Map<String, Entry> entries) {
        this.entries = Map.copyOf(entries);
    }

    public static SensCodes load() {
        Map<String, Entry> entries = new HashMap<>();
        for (TsvResource.Row row : TsvResource.read(RESOURCE, 4, "layer, code, disposition, meaning")) {
            String key = Layer.valueOf(row.cell(0).toUpperCase(Locale.ROOT)) + ":" + row.cell(1);
            if (entries.put(key, new Entry(AnswerDisposition.valueOf(row.cell(2)), row.cell(3))) != null) {
                throw new IllegalStateException(row.where() + ": " + key + " is listed twice");
            }
        }
        return new SensCodes(entries);
    }

    /** What an HTTP status means; unlisted 5xx may have been processed (never retried: SENS has no idempotency key). */
    public Entry http(int status) {
        Entry known = entries.get(Layer.HTTP + ":" + status);
        if (known != null) {
            return known;
        }
        return status >= 500 ? new Entry(AnswerDisposition.RETRY_IF_IDEMPOTENT, "Unknown server error")
                : new Entry(AnswerDisposition.REJECTED, "Unknown HTTP status " + status);
    }

    /** What one message's {@code requestStatusCode} means; unlisted codes refuse that message. */
    public Entry message(String code) {
        Entry known = entries.get(Layer.MESSAGE + ":" + code);
        return known != null ? known : new Entry(AnswerDisposition.REJECTED, "Refused by SENS");
    }
}
