package dev.deliverytracker.send.api;

import dev.deliverytracker.support.http.TooLargeRequests;
import jakarta.inject.Singleton;

/** A send request over the limit (1 MiB by default here) is almost always a batch too big for one request. */
@Singleton
class TooLargeMessages implements TooLargeRequests {

    @Override
    public String advice() {
        return "split large batches";
    }
}
