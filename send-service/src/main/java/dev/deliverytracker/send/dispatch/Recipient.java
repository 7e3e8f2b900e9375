package dev.deliverytracker.send.dispatch;

import dev.deliverytracker.send.privacy.PhoneNumber;

import java.util.Map;

/**
 * One recipient of a send.
 *
 * @param to        the number
 * @param variables values for the text's {@code #{var}} placeholders
 * @param ref       the producer's reference for this recipient (falls back to the message's)
 * @param requestId our id for this recipient's send: the record key when the provider gives no msgKey
 */
public record Recipient(PhoneNumber to, Map<String, String> variables, String ref, String requestId) {
}
