package dev.deliverytracker.send.dispatch;

import dev.deliverytracker.send.privacy.PhoneNumber;

import java.util.Map;

/**
 * One recipient as the producer named it, validated: the number, the values of the text's {@code #{var}} placeholders,
 * and the producer's reference for this recipient (falls back to the message's). {@link SendDispatcher} gives each
 * one its request id, making it a {@link Recipient}.
 */
public record Addressee(PhoneNumber to, Map<String, String> variables, String ref) {

    public Addressee {
        variables = Map.copyOf(variables);
    }
}
