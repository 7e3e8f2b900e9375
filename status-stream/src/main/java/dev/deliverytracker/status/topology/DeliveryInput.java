package dev.deliverytracker.status.topology;

import dev.deliverytracker.events.ProviderReport;
import dev.deliverytracker.events.SendEvent;

/**
 * What the {@link DeliveryTracker} reads: a decoded send or report whose record key is already checked to be the
 * delivery's key. Each carries the record's value as it arrived, so a record that the tracker cannot apply still
 * reaches the dead-records topic byte for byte.
 */
sealed interface DeliveryInput {

    /** The value as read from the input topic (Schema Registry wire format). */
    byte[] raw();

    /** A send event from the sends topic. */
    record Send(SendEvent event, byte[] raw) implements DeliveryInput {
    }

    /** A provider report from the reports topic. */
    record Report(ProviderReport event, byte[] raw) implements DeliveryInput {
    }
}
