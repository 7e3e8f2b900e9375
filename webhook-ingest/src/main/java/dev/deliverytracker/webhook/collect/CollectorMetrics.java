package dev.deliverytracker.webhook.collect;

/** What the collector counts (Micrometer in the service: {@code MicrometerCollectorMetrics}). */
public interface CollectorMetrics {

    /** {@code calls} result calls made for one request, ending in {@code outcome} (found, no-records, unavailable, malformed). */
    void asked(String provider, String outcome, int calls);

    /** A final result written to the reports topic, per channel. */
    void reported(String provider, String channel);

    /** A message dropped unsettled after {@code give-up-after}. */
    void gaveUp(String provider);

    /** A send event the collector could not use (its msgKey not SENS's requestId:messageId). */
    void unusableSend(String provider);
}
