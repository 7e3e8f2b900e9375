package dev.deliverytracker.send.dispatch;

import dev.deliverytracker.events.Channel;

/**
 * One channel of a message's flow, with the provider defaults (sender key, sender number) already applied.
 *
 * @param channel      ALIMTALK, SMS or LMS
 * @param text         the text, with {@code #{var}} placeholders the provider fills per recipient
 * @param templateCode the approved KakaoTalk template (ALIMTALK)
 * @param senderKey    the KakaoTalk sender profile key (ALIMTALK)
 * @param from         the registered sender number (SMS, LMS)
 * @param title        the LMS subject, optional
 */
public record FlowStep(Channel channel, String text, String templateCode, String senderKey, String from, String title) {
}
