package dev.deliverytracker.support;

import dev.deliverytracker.schemas.serde.RegistryUnavailableException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a stream thread's death means. Processors send bad records to dead records themselves, so what reaches here
 * is either a Schema Registry that did not answer (retriable: the thread is replaced, its tasks resume from their
 * last commit, and exactly-once aborts what the failed attempt had written, so the record is read again, not
 * lost or dead-lettered) or infrastructure failing for good (the client stops, {@code /health} turns DOWN and the
 * platform restarts the service, rather than looping over the same records).
 */
public final class StreamFailureHandler implements StreamsUncaughtExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(StreamFailureHandler.class);

    private final String application;

    public StreamFailureHandler(String application) {
        this.application = application;
    }

    @Override
    public StreamThreadExceptionResponse handle(Throwable exception) {
        if (RegistryUnavailableException.isCauseOf(exception)) {
            LOG.warn("{}: the Schema Registry did not answer; the stream thread is replaced and its records are read again"
                    + " from the last commit: {}", application, rootMessage(exception));
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        }
        LOG.error("{} stopped by an unrecoverable error; /health is DOWN", application, exception);
        return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    }

    private static String rootMessage(Throwable exception) {
        Throwable t = exception;
        while (t.getCause() != null && t.getCause() != t && !(t instanceof RegistryUnavailableException)) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}
