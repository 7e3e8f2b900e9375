package dev.deliverytracker.send.dispatch;

import dev.deliverytracker.events.Channel;

import java.util.Optional;

/** A provider's limits on what one channel's text may be, checked before anything is sent. */
public interface ChannelLimits {

    /** Why {@code text} (its variables already filled in) cannot go out on {@code channel}; empty when it can. */
    Optional<String> check(Channel channel, String text);
}
