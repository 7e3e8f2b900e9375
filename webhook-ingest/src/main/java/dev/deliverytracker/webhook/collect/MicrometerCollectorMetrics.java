package dev.deliverytracker.webhook.collect;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code webhook_collector_calls_total{provider,outcome}}, {@code webhook_collector_reports_total{provider,channel}},
 * {@code webhook_collector_gave_up_total{provider}}, {@code webhook_collector_unusable_sends_total{provider}}.
 */
public final class MicrometerCollectorMetrics implements CollectorMetrics {

    private final MeterRegistry registry;

    public MicrometerCollectorMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void asked(String provider, String outcome, int calls) {
        Counter.builder("webhook.collector.calls").description("Result API calls, by how the ask ended")
                .tag("provider", provider).tag("outcome", outcome).register(registry).increment(calls);
    }

    @Override
    public void reported(String provider, String channel) {
        Counter.builder("webhook.collector.reports").description("Final results written to the reports topic")
                .tag("provider", provider).tag("channel", channel).register(registry).increment();
    }

    @Override
    public void gaveUp(String provider) {
        Counter.builder("webhook.collector.gave.up").description("Messages dropped unsettled after give-up-after")
                .tag("provider", provider).register(registry).increment();
    }

    @Override
    public void unusableSend(String provider) {
        Counter.builder("webhook.collector.unusable.sends").description("Send events whose msgKey the collector cannot use")
                .tag("provider", provider).register(registry).increment();
    }
}
