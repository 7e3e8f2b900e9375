/**
 * The monitor's beans. They exist only while {@code delivery.monitor.enabled} is true (the default), so that several
 * services can share one JVM and classpath (the one-machine mode, benchmarks) without starting each other.
 */
@Configuration
@Requires(property = "delivery.monitor.enabled", notEquals = "false")
package dev.deliverytracker.monitor.api;

import io.micronaut.context.annotation.Configuration;
import io.micronaut.context.annotation.Requires;
