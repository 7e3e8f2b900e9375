package dev.deliverytracker.status.state;

import dev.deliverytracker.events.Channel;
import dev.deliverytracker.events.Classification;
import dev.deliverytracker.events.DeliveryState;
import dev.deliverytracker.events.SendOutcome;

import java.util.ArrayList;
import java.util.List;

/**
 * What status-stream remembers about one delivery (the value of the {@code deliveries} store). Mutable while one
 * record is processed, then written back; encoded by {@link TrackedDeliveryCodec}. Holds no phone number.
 */
public final class TrackedDelivery {

    public static final long NONE = -1L;

    // identity and phase
    public String msgKey;
    public Phase phase;
    /** The timer registered in the deadline index for this delivery, or NONE. */
    public long deadline = NONE;

    // from the send event (sendSeen tells whether these are known)
    public boolean sendSeen;
    public SendOutcome outcome;
    public String requestId;
    public String provider;
    public List<Channel> flow = new ArrayList<>();
    public String templateCode;
    public String origin;
    public String ref;
    public long acceptedAt = NONE;
    public long timeoutMillis = NONE;
    public String sendCode;
    public String sendText;

    // what happened so far
    /** Reports held before the send arrived (ORPHAN, UNMATCHED), in arrival order. */
    public List<Attempt> held = new ArrayList<>();
    /** Reports applied to the delivery, in arrival order. */
    public List<Attempt> attempts = new ArrayList<>();
    public boolean wasStuck;
    public int duplicates;
    public int contradictions;
    /** Number of status events emitted so far; makes event ids deterministic. */
    public int sequence;

    // the last emitted status
    public DeliveryState status;
    public Classification classification;
    public String code;
    public String text;
    public Channel channel;
    public long resolvedAt = NONE;
    public boolean late;

    public static TrackedDelivery start(String msgKey) {
        TrackedDelivery d = new TrackedDelivery();
        d.msgKey = msgKey;
        return d;
    }

    public boolean isSettled() {
        return phase == Phase.SETTLED;
    }
}
