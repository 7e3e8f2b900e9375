package dev.deliverytracker.monitor.app;

import dev.deliverytracker.support.DeliveryService;
import dev.deliverytracker.monitor.rules.AlertRules;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.PropertySource;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The rules' overrides as the service reads them: from configuration files and from environment variables, which
 * Micronaut hands over in every spelling it derives from them. (Only the environment, no beans: the monitor itself
 * is switched off in these contexts.)
 */
class RulesFromConfigurationTest {

    private static final MonitorProperties PROPERTIES = new MonitorProperties("m", null, Duration.ofSeconds(5), Duration.ofSeconds(10),
            Duration.ofSeconds(30), Duration.ofHours(1), "http://localhost:8083", "http://localhost:8085", "bizgo,aligo,ncp-sens",
            Duration.ofSeconds(30), Duration.ofHours(25), null, "http://localhost:8083", null);

    private static AlertRules rules(Map<String, Object> properties, Map<String, Object> environmentVariables) {
        try (ApplicationContext context = ApplicationContext.builder().environments(DeliveryService.MONITOR.serviceName()).properties(Map.of("delivery.monitor.enabled", false))
                .propertySources(PropertySource.of("test", properties),
                        PropertySource.of("env", environmentVariables, PropertySource.PropertyConvention.ENVIRONMENT_VARIABLE))
                .start()) {
            return new MonitorFactory().alertRules(context.getEnvironment(), PROPERTIES);
        }
    }

    @Test
    void environmentVariablesOverrideRulesAndPerProviderSettings() {
        AlertRules rules = rules(Map.of("delivery.monitor.rules.stuck-backlog.count", 25), Map.of(
                "DELIVERY_MONITOR_RULES_FAILURE_RATE_THRESHOLD", "0.3",
                "DELIVERY_MONITOR_RULES_FAILURE_RATE_PROVIDERS_BIZGO_MIN_SAMPLES", "50",
                "DELIVERY_MONITOR_RULES_ACCOUNT_FAILURE_RESOLVE_AFTER", "2m"));
        assertThat(rules.defaultRules().failureRate().threshold()).isEqualTo(0.3);
        assertThat(rules.defaultRules().failureRate().minSamples()).isEqualTo(20);
        assertThat(rules.forProvider("bizgo").failureRate().minSamples()).isEqualTo(50);
        assertThat(rules.forProvider("bizgo").failureRate().threshold()).isEqualTo(0.3);
        assertThat(rules.defaultRules().accountFailure().resolveAfter()).isEqualTo(Duration.ofMinutes(2));
        assertThat(rules.defaultRules().stuckBacklog().count()).isEqualTo(25);
        assertThat(rules.forProvider("aligo").stuckBacklog().count()).isEqualTo(25);
    }

    @Test
    void aMisspeltEnvironmentVariableStillFailsTheStartUp() {
        assertThatThrownBy(() -> rules(Map.of(), Map.of("DELIVERY_MONITOR_RULES_FAILURE_RATE_TRESHOLD", "0.3")))
                .hasMessageContaining("unknown setting").hasMessageContaining("threshold");
        assertThatThrownBy(() -> rules(Map.of(), Map.of("DELIVERY_MONITOR_RULES_FAILURE_RATE_PROVIDERS_BIZGOO_THRESHOLD", "0.3")))
                .hasMessageContaining("unknown provider 'bizgoo'");
    }
}
