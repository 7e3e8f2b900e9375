package dev.deliverytracker.support;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.Micronaut;
import io.micronaut.runtime.server.EmbeddedServer;

import java.util.Map;

/**
 * The four services, and how each one's Micronaut context is started. Each service's settings live in its own
 * {@code application-<name>.yml}, read in the Micronaut environment of the same name, so several services can share
 * one classpath (the one-machine mode, the benchmarks) and each still reads exactly its own file: the file a
 * container reads in production. The file also switches the other services' beans off
 * ({@code delivery.<other>.enabled: false}, read by each bean package's {@code @Requires}).
 */
public enum DeliveryService {
    SEND_SERVICE("send-service"),
    WEBHOOK_INGEST("webhook-ingest"),
    STATUS_STREAM("status-stream"),
    MONITOR("monitor");

    private final String serviceName;

    DeliveryService(String serviceName) {
        this.serviceName = serviceName;
    }

    /** The service's name: its Micronaut environment, its config file {@code application-<name>.yml}, its module. */
    public String serviceName() {
        return serviceName;
    }

    /** What a service's {@code main} does: starts it in its own environment, with the command-line arguments. */
    public ApplicationContext main(Class<?> mainClass, String[] args) {
        return Micronaut.build(args).mainClass(mainClass).environments(serviceName).start();
    }

    /** Starts the service's HTTP server with {@code properties} over its own configuration (tests, one-machine mode). */
    public EmbeddedServer start(Map<String, Object> properties) {
        return ApplicationContext.run(EmbeddedServer.class, properties, serviceName);
    }

    /** Starts the service's context without its HTTP server ({@code properties} over its own configuration). */
    public ApplicationContext context(Map<String, Object> properties) {
        return ApplicationContext.run(properties, serviceName);
    }

    @Override
    public String toString() {
        return serviceName;
    }
}
