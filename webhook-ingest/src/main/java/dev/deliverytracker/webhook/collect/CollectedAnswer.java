package dev.deliverytracker.webhook.collect;

import java.time.Duration;
import java.util.Map;

/** What asking a provider about one group of messages (a SENS request, an Aligo mid) came to. */
public sealed interface CollectedAnswer {

    /**
     * The results the provider shows, by the message's {@link PendingMessage#ref()}; {@code unreadable} items (not in
     * the provider's shape) are left out, so their messages count as not listed, and are logged and counted.
     */
    record Found(Map<String, CollectedResult> results, int unreadable, int calls) implements CollectedAnswer {
    }

    /** The provider has no records of the group: too early, or past its retention. */
    record NoRecords(int calls) implements CollectedAnswer {
    }

    /** The provider refused or failed, or could not be reached: ask again later, after a back-off. */
    record Unavailable(String reason, Duration retryAfter, int calls) implements CollectedAnswer {
    }

    /** The provider answered something that is not its documented shape: logged and counted, asked again later. */
    record Malformed(String reason, int calls) implements CollectedAnswer {
    }

    /** Not every page could be read within the time given: ask again next round. */
    record Unfinished(String reason, int calls) implements CollectedAnswer {
    }
}
