package dev.deliverytracker.status.rules;

import dev.deliverytracker.events.Classification;

import java.io.IOException;
import java.io.InputStream;
import dev.deliverytracker.support.TsvResource;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What a provider's report code means, as data: per provider, a table of code to {@link Classification}. The
 * default tables ship as {@code classification/<provider>.tsv} resources (Bizgo's, NCP SENS's and Aligo's codes); configuration
 * overrides single codes; {@code classification/common.tsv} holds codes every provider shares (DELIVERED, FAILED)
 * and is consulted last. A code in no table is {@link Classification#UNKNOWN}: a failure, never a success.
 */
public final class CodeClassifier {

    private static final String[] SHIPPED = {"bizgo", "ncp-sens", "aligo"};

    private static final String COMMON = "common";

    private final Map<String, Map<String, Classification>> tables;
    private final Map<String, Classification> common;

    private CodeClassifier(Map<String, Map<String, Classification>> tables, Map<String, Classification> common) {
        this.tables = tables;
        this.common = common;
    }

    /** The shipped tables with {@code overrides} ({@code provider -> code -> class}) applied on top. */
    public static CodeClassifier withDefaults(Map<String, Map<String, Classification>> overrides) {
        Map<String, Map<String, Classification>> tables = new HashMap<>();
        for (String provider : SHIPPED) {
            tables.put(provider, load(provider));
        }
        overrides.forEach((provider, codes) ->
                tables.computeIfAbsent(provider.toLowerCase(Locale.ROOT), p -> new HashMap<>()).putAll(codes));
        tables.replaceAll((provider, codes) -> Map.copyOf(codes));
        return new CodeClassifier(Map.copyOf(tables), Map.copyOf(load(COMMON)));
    }

    public static CodeClassifier defaults() {
        return withDefaults(Map.of());
    }

    public Classification classify(String provider, String code) {
        if (provider == null || code == null) {
            return Classification.UNKNOWN;
        }
        String trimmed = code.trim();
        Classification own = tables.getOrDefault(provider.toLowerCase(Locale.ROOT), Map.of()).get(trimmed);
        return own != null ? own : common.getOrDefault(trimmed, Classification.UNKNOWN);
    }

    /** Parses a class name from configuration, naming the key when it is wrong. */
    public static Classification parse(String key, String value) {
        try {
            return Classification.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + "=" + value + " is not a classification; use one of "
                    + java.util.Arrays.toString(Classification.values()), e);
        }
    }

    private static Map<String, Classification> load(String provider) {
        Map<String, Classification> table = new HashMap<>();
        for (TsvResource.Row row : TsvResource.read("/classification/" + provider + ".tsv", 2, "'code<TAB>class'")) {
            table.put(row.cell(0), parse(row.where(), row.cell(1)));
        }
        return table;
    }
}
