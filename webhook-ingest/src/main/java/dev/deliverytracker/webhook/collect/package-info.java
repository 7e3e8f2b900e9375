/**
 * Result collection for providers that push no delivery reports (NCP SENS): a Kafka Streams view of the messages
 * they accepted and have not settled, built from {@code delivery.sends}, whose wall-clock punctuator asks the
 * provider's result API and writes each final result to {@code delivery.reports} once, under exactly-once.
 */
package dev.deliverytracker.webhook.collect;
