package dev.deliverytracker.schemas.serde;

import dev.deliverytracker.schemas.registry.SchemaRegistryClient;
import dev.deliverytracker.schemas.registry.SchemaRegistryException;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The schemas a stream application needs, resolved before it starts, so that a registry that starts a few seconds
 * after the application (or is down for a moment) delays the start instead of turning a backlog into dead records.
 * Written topics get their schema id (registered when {@code autoRegister}, otherwise it must already be
 * registered); read topics get their latest writer schema, which the caching client keeps. While the registry does
 * not answer, this waits with back-off, logging each attempt, up to {@code wait}; then start-up fails naming the
 * registry. A schema that is missing or refused fails at once: waiting would not fix it.
 */
public final class RequiredSchemas {

    private static final Logger LOG = LoggerFactory.getLogger(RequiredSchemas.class);
    private static final Duration MAX_PAUSE = Duration.ofSeconds(5);

    private record Need(String topic, Schema schema, boolean write) {
    }

    /** Sleeps between attempts; a parameter so a test can count pauses instead of taking them. */
    public interface Pause {
        void pause(Duration duration) throws InterruptedException;
    }

    private final List<Need> needs = new ArrayList<>();

    /** The application writes {@code schema} to {@code topic}'s values. */
    public RequiredSchemas writes(String topic, Schema schema) {
        needs.add(new Need(topic, schema, true));
        return this;
    }

    /** The application reads {@code topic}'s values (into {@code schema}). */
    public RequiredSchemas reads(String topic, Schema schema) {
        needs.add(new Need(topic, schema, false));
        return this;
    }

    /** Resolves every need, waiting for the registry up to {@code wait}; throws {@link IllegalStateException} otherwise. */
    public void resolve(SchemaRegistryClient registry, boolean autoRegister, Duration wait) {
        resolve(registry, autoRegister, wait, d -> Thread.sleep(d.toMillis()), System::nanoTime);
    }

    public void resolve(SchemaRegistryClient registry, boolean autoRegister, Duration wait, Pause pause, LongSupplier nanoTime) {
        long deadline = nanoTime.getAsLong() + wait.toNanos();
        for (Need need : needs) {
            Duration backoff = Duration.ofMillis(250);
            for (int attempt = 1; ; attempt++) {
                try {
                    resolveOne(registry, autoRegister, need);
                    break;
                } catch (SchemaRegistryException e) {
                    if (e.reason() != SchemaRegistryException.Reason.UNAVAILABLE) {
                        throw new IllegalStateException("Cannot start: the schema of '" + need.topic() + "' ("
                                + need.schema().getFullName() + ") cannot be resolved at " + registry.location() + ". " + e.getMessage(), e);
                    }
                    long left = deadline - nanoTime.getAsLong();
                    if (left <= 0) {
                        throw new IllegalStateException("Cannot start: the Schema Registry at " + registry.location()
                                + " did not answer within " + wait + " (schema.registry.startup-wait). Check SCHEMA_REGISTRY_URL"
                                + " and that the registry is running. Last error: " + e.getMessage(), e);
                    }
                    LOG.warn("Waiting for the Schema Registry at {} before starting (attempt {}, {} s left): {}",
                            registry.location(), attempt, Duration.ofNanos(left).toSeconds(), e.getMessage());
                    try {
                        pause.pause(min(backoff, Duration.ofNanos(left)));
                    } catch (InterruptedException interrupted) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("Interrupted while waiting for the Schema Registry", interrupted);
                    }
                    backoff = min(backoff.multipliedBy(2), MAX_PAUSE);
                }
            }
        }
    }

    private static void resolveOne(SchemaRegistryClient registry, boolean autoRegister, Need need) {
        String subject = WireFormat.subject(need.topic(), false);
        if (need.write()) {
            if (autoRegister) {
                registry.register(subject, need.schema());
            } else {
                registry.idOf(subject, need.schema());
            }
            return;
        }
        try {
            registry.latest(subject);
        } catch (SchemaRegistryException e) {
            if (e.reason() != SchemaRegistryException.Reason.SUBJECT_NOT_FOUND
                    && e.reason() != SchemaRegistryException.Reason.VERSION_NOT_FOUND) {
                throw e;
            }
            // nothing was ever written to the topic: there is nothing to read yet, the first record's id is fetched then
            LOG.info("No schema registered under '{}' yet: nothing has been written to {}", subject, need.topic());
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
