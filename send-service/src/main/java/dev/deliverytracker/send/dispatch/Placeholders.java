package dev.deliverytracker.send.dispatch;

import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A text's {@code #{name}} placeholders, filled from a recipient's variables: by the request validator (to check the
 * rendered text against the provider's limits) and by adapters whose provider takes finished texts (NCP SENS), where
 * Bizgo fills them itself from {@code replaceWords}.
 */
public final class Placeholders {

    private static final Pattern PLACEHOLDER = Pattern.compile("#\\{([^}]*)}");

    private Placeholders() {
    }

    /** {@code text} with each placeholder replaced; a name without a value becomes empty and is reported to {@code missing}. */
    public static String render(String text, Map<String, String> values, Consumer<String> missing) {
        Matcher matcher = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String name = matcher.group(1);
            String value = values.get(name);
            if (value == null) {
                missing.accept(name);
                value = "";
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(out);
        return out.toString();
    }
}
