package dev.deliverytracker.local;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shipped Prometheus rules ({@code deploy/prometheus/delivery-alerts.yml}) checked and unit-tested by the real
 * {@code promtool} (installed by {@code .ci/run}; skipped with the reason where it is absent), and read here for what
 * a person paged at night needs on every alert. That the metrics they name exist is proven against the running
 * services in {@link MonitorEndToEndTest}.
 */
class PrometheusRulesTest {

    static final Path RULES_DIR = Path.of("..").toAbsolutePath().normalize().resolve("deploy/prometheus");
    static final Path RULES = RULES_DIR.resolve("delivery-alerts.yml");

    private static final Set<String> PROMQL_WORDS = Set.of("by", "on", "without", "ignoring", "group_left", "group_right",
            "unless", "or", "and", "offset", "bool");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

    @Test
    void promtoolAcceptsTheRules() throws Exception {
        String out = promtool("check", "rules", RULES.toString());
        assertThat(out).contains("SUCCESS");
    }

    @Test
    void theComposePrometheusAndAlertmanagerConfigsAreValid() throws Exception {
        assertThat(run("promtool", RULES_DIR, "check", "config", "prometheus.yml")).contains("SUCCESS");
        assertThat(run("amtool", RULES_DIR.resolveSibling("alertmanager"), "check-config", "alertmanager.yml")).contains("SUCCESS");
    }

    @Test
    void promtoolUnitTestsPass() throws Exception {
        String out = promtool("test", "rules", "delivery-alerts.test.yml");
        assertThat(out).contains("SUCCESS").doesNotContain("FAILED");
    }

    @Test
    void everyAlertTellsThePersonPagedWhatAndWhere() throws IOException {
        List<Map<String, Object>> alerts = alerts();
        assertThat(alerts).hasSizeGreaterThanOrEqualTo(8);
        for (Map<String, Object> alert : alerts) {
            String name = (String) alert.get("alert");
            assertThat(name).as("alert name").matches("[A-Z][A-Za-z]+");
            @SuppressWarnings("unchecked") Map<String, Object> labels = (Map<String, Object>) alert.get("labels");
            assertThat(labels).as(name + " severity").containsKey("severity");
            assertThat((String) labels.get("severity")).as(name).isIn("critical", "warning", "info");
            @SuppressWarnings("unchecked") Map<String, Object> annotations = (Map<String, Object>) alert.get("annotations");
            assertThat(annotations).as(name + " annotations").containsKeys("summary", "description");
            assertThat((String) annotations.get("description")).as(name + " description says what to check")
                    .hasSizeGreaterThan(120);
            assertThat(Files.readString(RULES_DIR.resolve("delivery-alerts.test.yml"))).as(name + " has a promtool test")
                    .contains("alertname: " + name);
        }
    }

    @Test
    void metricNamesAreReadFromTheExpressions() {
        assertThat(metricNames("sum by (provider) (increase(delivery_statuses_total{status=~\"SENT|DEAD_LETTER\"}[5m]))"
                + " unless on (provider) (webhook_reports_stored_total offset 10m) > 0 and delivery_tracked >= 10"))
                .containsExactlyInAnyOrder("delivery_statuses_total", "webhook_reports_stored_total", "delivery_tracked");
    }

    /** Every metric name the shipped rules' expressions use. */
    static Set<String> metricNames() throws IOException {
        Set<String> names = new TreeSet<>();
        for (Map<String, Object> alert : alerts()) {
            names.addAll(metricNames((String) alert.get("expr")));
        }
        return names;
    }

    static Set<String> metricNames(String expr) {
        String bare = expr.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")   // label values
                .replaceAll("\\{[^}]*}", " ")                                     // matchers
                .replaceAll("\\[[^]]*]", " ")                                     // ranges
                .replaceAll("\\b(by|on|without|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ") // label lists
                .replaceAll("\\boffset\\s+\\w+", " ");
        Set<String> names = new TreeSet<>();
        Matcher m = IDENTIFIER.matcher(bare);
        while (m.find()) {
            String word = m.group();
            boolean function = bare.substring(m.end()).stripLeading().startsWith("(");
            boolean number = m.start() > 0 && Character.isDigit(bare.charAt(m.start() - 1));
            if (!function && !number && !PROMQL_WORDS.contains(word)) {
                names.add(word);
            }
        }
        return names;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> alerts() throws IOException {
        Map<String, Object> file = new Yaml().load(Files.readString(RULES));
        List<Map<String, Object>> alerts = new ArrayList<>();
        for (Map<String, Object> group : (List<Map<String, Object>>) file.get("groups")) {
            for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
                if (rule.containsKey("alert")) {
                    alerts.add(rule);
                }
            }
        }
        return alerts;
    }

    private static String promtool(String... args) throws Exception {
        return run("promtool", RULES_DIR, args);
    }

    private static String run(String tool, Path dir, String... args) throws Exception {
        Path binary = Arrays.stream(System.getenv("PATH").split(File.pathSeparator)).map(d -> Path.of(d, tool))
                .filter(Files::isExecutable).findFirst().orElse(null);
        Assumptions.assumeTrue(binary != null, tool + " is not installed (Debian packages prometheus and"
                + " prometheus-alertmanager; .ci/run installs them)");
        List<String> command = new ArrayList<>(List.of(binary.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(tool + " finished").isTrue();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as("%s %s:%n%s", tool, String.join(" ", args), out).isZero();
        return out;
    }
}
