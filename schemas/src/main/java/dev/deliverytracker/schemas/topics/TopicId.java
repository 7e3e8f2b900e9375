package dev.deliverytracker.schemas.topics;

/**
 * Every topic of the pipeline, with its default physical name. This enum is the only place where topic names are
 * written; everything else asks the {@link TopicCatalogue}, which may rename them from configuration.
 */
public enum TopicId {
    /** SendEvent by msgKey (requestId for a rejected send without one). Written by send-service. */
    SENDS("sends", "delivery.sends"),
    /** ProviderReport by msgKey. Written by webhook-ingest (webhooks and pollers). Co-partitioned with SENDS. */
    REPORTS("reports", "delivery.reports"),
    /** DeliveryStatus by msgKey. Written by status-stream alone; read by analytics and alerting. */
    STATUS("status", "delivery.status"),
    /** Raw records that could not be read, with the reason in headers. */
    DEAD_RECORDS("dead-records", "delivery.dead-records"),
    /** DeliveryAlert by fingerprint: alert state changes. Written by the monitor alone; read by its notification channels. */
    ALERTS("alerts", Defaults.ALERTS);

    /**
     * Default names needed as compile-time constants, for annotations that name a topic through a placeholder
     * ({@code @Topic("${delivery.topics.alerts:" + TopicId.Defaults.ALERTS + "}")}).
     */
    public static final class Defaults {
        public static final String ALERTS = "delivery.alerts";
        /** The placeholder a listener of the alerts topic names it by: the configured name, or the default. */
        public static final String ALERTS_PLACEHOLDER = "${delivery.topics.alerts:" + ALERTS + "}";

        private Defaults() {
        }
    }

    private final String id;
    private final String defaultName;

    TopicId(String id, String defaultName) {
        this.id = id;
        this.defaultName = defaultName;
    }

    /** The short id used in configuration keys ({@code delivery.topics.<id>}). */
    public String id() {
        return id;
    }

    public String defaultName() {
        return defaultName;
    }

    /** The configuration key that renames this topic. */
    public String configKey() {
        return TopicCatalogue.CONFIG_PREFIX + id;
    }
}
