/**
 * send-service's producer authentication. Its beans exist only while {@code delivery.send-service.enabled} is true (the default), so
 * that several services can share one JVM (the one-machine mode) without starting each other.
 */
@Configuration
@Requires(property = "delivery.send-service.enabled", notEquals = "false")
package dev.deliverytracker.send.auth;

import io.micronaut.context.annotation.Configuration;
import io.micronaut.context.annotation.Requires;
