package dev.deliverytracker.send.provider.aligo;

import dev.deliverytracker.send.provider.AnswerDisposition;
import dev.deliverytracker.support.TsvResource;

import java.util.HashMap;
import java.util.Map;

/** Aligo's send answer codes as data ({@code aligo/send-codes.tsv}). */
public final class AligoCodes {

    public record Entry(AnswerDisposition disposition, String meaning) {
    }

    private final Map<String, Entry> entries;

    private AligoCodes(Map<String, Entry> entries) {
        this.entries = Map.copyOf(entries);
    }

    public static AligoCodes load() {
        Map<String, Entry> entries = new HashMap<>();
        for (TsvResource.Row row : TsvResource.read("/aligo/send-codes.tsv", 3, "code, disposition, meaning")) {
            if (entries.put(row.cell(0), new Entry(AnswerDisposition.valueOf(row.cell(1)), row.cell(2))) != null) {
                throw new IllegalStateException(row.where() + ": " + row.cell(0) + " is listed twice");
            }
        }
        return new AligoCodes(entries);
    }

    /** What {@code code} means; a code not listed refuses the request. */
    public Entry classify(String code) {
        Entry known = entries.get(code);
        return known != null ? known : new Entry(AnswerDisposition.REJECTED, "Refused by Aligo");
    }
}
