/**
 * webhook-ingest's beans. They exist only while {@code delivery.webhook-ingest.enabled} is true (the default), so that
 * several services can share one JVM and classpath (the one-machine mode, benchmarks) without starting each other.
 */
@Configuration
@Requires(property = "delivery.webhook-ingest.enabled", notEquals = "false")
package dev.deliverytracker.webhook.poll;

import io.micronaut.context.annotation.Configuration;
import io.micronaut.context.annotation.Requires;
