package dev.deliverytracker.monitor.rules;

import dev.deliverytracker.events.AlertSeverity;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The alert rules' thresholds: the shipped defaults ({@code monitor/alert-rules.properties}), overridden from
 * configuration ({@code delivery.monitor.rules.<rule>.<key>}) and per provider
 * ({@code delivery.monitor.rules.<rule>.providers.<provider>.<key>}). Parsing validates everything, so a typo, an
 * unknown rule or provider, or a threshold out of range fails at start-up with the full key in the message.
 */
public final class AlertRules {

    public static final String PREFIX = "delivery.monitor.rules.";
    private static final String DEFAULTS = "/monitor/alert-rules.properties";
    private static final Set<String> RULES = Set.of("account-failure", "failure-rate", "stuck-backlog", "reports-silent",
            "unmatched-reports");
    private static final Pattern PROVIDER_KEY = Pattern.compile("([a-z-]+)\\.providers\\.(.+)\\.([a-z-]+)");

    private static final Map<String, String> SHIPPED = loadShippedDefaults();

    private final RuleSet defaults;
    private final Map<String, RuleSet> byProvider;

    private AlertRules(RuleSet defaults, Map<String, RuleSet> byProvider) {
        this.defaults = defaults;
        this.byProvider = Map.copyOf(byProvider);
    }

    /** The shipped defaults, no overrides. */
    public static AlertRules defaults() {
        return parse(Map.of(), Set.of());
    }

    /**
     * @param overrides      keys relative to {@value #PREFIX} ({@code failure-rate.threshold}); values as strings or numbers
     * @param knownProviders providers an override may name; empty accepts any
     */
    public static AlertRules parse(Map<String, ?> overrides, Set<String> knownProviders) {
        Map<String, String> base = new TreeMap<>(shippedDefaults());
        Map<String, Map<String, String>> perProvider = new TreeMap<>();
        for (Map.Entry<String, ?> entry : overrides.entrySet()) {
            String key = canonical(entry.getKey());
            String value = entry.getValue() == null ? "" : String.valueOf(entry.getValue()).trim();
            Matcher m = PROVIDER_KEY.matcher(key);
            if (m.matches()) {
                String provider = m.group(2);
                if (!knownProviders.isEmpty() && !knownProviders.contains(provider)) {
                    throw new RuleConfigException(PREFIX + entry.getKey(), "unknown provider '" + provider + "'; known: "
                            + new TreeSet<>(knownProviders));
                }
                perProvider.computeIfAbsent(provider, p -> new HashMap<>()).put(m.group(1) + "." + m.group(3), value);
            } else {
                base.put(key, value);
            }
        }
        RuleSet defaults = build(base, "");
        Map<String, RuleSet> byProvider = new HashMap<>();
        perProvider.forEach((provider, settings) -> {
            Map<String, String> merged = new HashMap<>(base);
            merged.putAll(settings);
            byProvider.put(provider, build(merged, provider));
        });
        return new AlertRules(defaults, byProvider);
    }

    /** The rules as they apply to {@code provider}. */
    public RuleSet forProvider(String provider) {
        return byProvider.getOrDefault(provider, defaults);
    }

    public RuleSet defaultRules() {
        return defaults;
    }

    /** The longest window of any provider's rules. */
    public Duration longestWindow() {
        Duration longest = defaults.longestWindow();
        for (RuleSet rules : byProvider.values()) {
            if (rules.longestWindow().compareTo(longest) > 0) {
                longest = rules.longestWindow();
            }
        }
        return longest;
    }

    /**
     * The setting a key means, as {@code <rule>.<setting>} or {@code <rule>.providers.<provider>.<setting>}. An
     * environment variable reaches us in every spelling Micronaut derives from it ({@code ..._FAILURE_RATE_THRESHOLD}
     * as {@code failure.rate.threshold}, {@code failure-rate.threshold}, ...), so dots, dashes and underscores are
     * one separator here; anything that means no setting fails, naming the key.
     */
    static String canonical(String original) {
        String key = original.toLowerCase(Locale.ROOT);
        String flat = flat(key);
        for (String rule : RULES) {
            String prefix = flat(rule) + ".";
            if (!flat.startsWith(prefix)) {
                continue;
            }
            String rest = flat.substring(prefix.length());
            List<String> settings = shippedDefaults().keySet().stream().filter(k -> k.startsWith(rule + "."))
                    .map(k -> k.substring(rule.length() + 1)).sorted().toList();
            for (String setting : settings) {
                String s = flat(setting);
                if (rest.equals(s)) {
                    return rule + "." + setting;
                }
                int providerEnd = rest.length() - s.length() - 1;
                if (rest.startsWith("providers.") && rest.endsWith("." + s) && providerEnd > "providers.".length()) {
                    String provider = key.substring(prefix.length() + "providers.".length(), prefix.length() + providerEnd);
                    return rule + ".providers." + provider + "." + setting;
                }
            }
            throw new RuleConfigException(PREFIX + original, "unknown setting; " + rule + " has " + settings
                    + " (per provider: " + rule + ".providers.<provider>.<setting>)");
        }
        int dot = key.indexOf('.');
        throw new RuleConfigException(PREFIX + original, "unknown rule '" + (dot < 0 ? key : key.substring(0, dot))
                + "'; rules are " + new TreeSet<>(RULES));
    }

    private static String flat(String key) {
        return key.replace('-', '.').replace('_', '.');
    }

    private static RuleSet build(Map<String, String> s, String provider) {
        Reader r = new Reader(s, provider);
        RuleSet.AccountFailure account = new RuleSet.AccountFailure(r.bool("account-failure.enabled"),
                r.severity("account-failure.severity"), r.positive("account-failure.resolve-after"),
                r.set("account-failure.rejected-codes"));
        double threshold = r.rate("failure-rate.threshold");
        double resolveBelow = r.rate("failure-rate.resolve-below");
        if (resolveBelow > threshold) {
            throw new RuleConfigException(r.key("failure-rate.resolve-below"), resolveBelow,
                    "must not be above failure-rate.threshold (" + threshold + "): it is the lower line of the hysteresis");
        }
        List<Dimension> dimensions = r.set("failure-rate.dimensions").stream()
                .map(v -> Dimension.parse(r.key("failure-rate.dimensions"), v)).distinct().toList();
        RuleSet.FailureRate rate = new RuleSet.FailureRate(r.bool("failure-rate.enabled"), r.severity("failure-rate.severity"),
                r.positive("failure-rate.window"), threshold, resolveBelow, r.atLeastOne("failure-rate.min-samples"), dimensions);
        RuleSet.StuckBacklog stuck = new RuleSet.StuckBacklog(r.bool("stuck-backlog.enabled"), r.severity("stuck-backlog.severity"),
                r.atLeastOne("stuck-backlog.count"), r.positive("stuck-backlog.oldest"));
        RuleSet.ReportsSilent silent = new RuleSet.ReportsSilent(r.bool("reports-silent.enabled"), r.severity("reports-silent.severity"),
                r.positive("reports-silent.silence-after"), r.atLeastOne("reports-silent.min-sends"));
        RuleSet.UnmatchedReports unmatched = new RuleSet.UnmatchedReports(r.bool("unmatched-reports.enabled"),
                r.severity("unmatched-reports.severity"), r.positive("unmatched-reports.window"), r.atLeastOne("unmatched-reports.count"));
        return new RuleSet(account, rate, stuck, silent, unmatched);
    }

    private static Map<String, String> shippedDefaults() {
        return SHIPPED;
    }

    private static Map<String, String> loadShippedDefaults() {
        Properties properties = new Properties();
        try (InputStream in = AlertRules.class.getResourceAsStream(DEFAULTS)) {
            if (in == null) {
                throw new IllegalStateException(DEFAULTS + " missing from the classpath");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> map = new HashMap<>();
        properties.forEach((k, v) -> map.put(k.toString(), v.toString().trim()));
        return Map.copyOf(map);
    }

    /** Typed reads of one rule set's settings, each failing with the full key. */
    private record Reader(Map<String, String> settings, String provider) {

        String key(String setting) {
            if (provider.isEmpty()) {
                return PREFIX + setting;
            }
            int dot = setting.indexOf('.');
            return PREFIX + setting.substring(0, dot) + ".providers." + provider + setting.substring(dot);
        }

        String raw(String setting) {
            return settings.get(setting);
        }

        boolean bool(String setting) {
            String v = raw(setting).toLowerCase(Locale.ROOT);
            if (!v.equals("true") && !v.equals("false")) {
                throw new RuleConfigException(key(setting), v, "expected true or false");
            }
            return Boolean.parseBoolean(v);
        }

        AlertSeverity severity(String setting) {
            try {
                return AlertSeverity.valueOf(raw(setting).toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new RuleConfigException(key(setting), raw(setting), "expected critical, warning or info");
            }
        }

        Duration positive(String setting) {
            Duration d = duration(key(setting), raw(setting));
            if (d.isNegative() || d.isZero()) {
                throw new RuleConfigException(key(setting), raw(setting), "must be positive");
            }
            return d;
        }

        double rate(String setting) {
            double v;
            try {
                v = Double.parseDouble(raw(setting));
            } catch (NumberFormatException e) {
                throw new RuleConfigException(key(setting), raw(setting), "expected a number between 0 and 1 (0.2 is 20 %)");
            }
            if (!(v > 0 && v <= 1)) {
                throw new RuleConfigException(key(setting), raw(setting), "out of range: a share above 0 and at most 1 (0.2 is 20 %)");
            }
            return v;
        }

        long atLeastOne(String setting) {
            long v;
            try {
                v = Long.parseLong(raw(setting));
            } catch (NumberFormatException e) {
                throw new RuleConfigException(key(setting), raw(setting), "expected a whole number");
            }
            if (v < 1) {
                throw new RuleConfigException(key(setting), raw(setting), "must be at least 1");
            }
            return v;
        }

        Set<String> set(String setting) {
            Set<String> values = new LinkedHashSet<>();
            Arrays.stream(raw(setting).split(",")).map(String::trim).filter(x -> !x.isEmpty()).forEach(values::add);
            return Set.copyOf(values);
        }
    }

    /** {@code 30s}, {@code 5m}, {@code 2h}, {@code 1d}, {@code 500ms} or ISO-8601 ({@code PT5M}). */
    static Duration duration(String key, String value) {
        Matcher m = Pattern.compile("(\\d+)(ms|s|m|h|d)").matcher(value.trim().toLowerCase(Locale.ROOT));
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
        try {
            return Duration.parse(value.trim().toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException e) {
            throw new RuleConfigException(key, value, "not a duration (e.g. 30s, 5m, PT5M)");
        }
    }
}
