/**
 * Result collection for providers that push no delivery reports (NCP SENS): a Kafka Streams view of the messages
 * they accepted and have not settled, built from {@code delivery.sends}, whose wall-clock punctuator asks the
 * provider's result API and writes each final result to {@code delivery.reports} once, under exactly-once. Like all
 * of webhook-ingest's beans, they exist only while {@code delivery.webhook-ingest.enabled} is true (the default).
 */
@Configuration
@Requires(property = "delivery.webhook-ingest.enabled", notEquals = "false")
package dev.deliverytracker.webhook.collect;

import io.micronaut.context.annotation.Configuration;
import io.micronaut.context.annotation.Requires;
