package dev.deliverytracker.support;

import java.util.concurrent.CompletionException;

/** Helpers for answering from {@link java.util.concurrent.CompletableFuture}s. */
public final class Futures {

    private Futures() {
    }

    /** The failure a dependent stage sees, without the {@link CompletionException} the future wrapped it in. */
    public static Throwable cause(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }
}
