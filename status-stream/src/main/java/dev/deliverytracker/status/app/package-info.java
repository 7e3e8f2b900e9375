/**
 * status-stream's beans. They exist only while {@code delivery.status-stream.enabled} is true (the default), so that
 * several services can share one JVM and classpath (the one-machine mode, benchmarks) without starting each other.
 */
@Configuration
@Requires(property = "delivery.status-stream.enabled", notEquals = "false")
package dev.deliverytracker.status.app;

import io.micronaut.context.annotation.Configuration;
import io.micronaut.context.annotation.Requires;
