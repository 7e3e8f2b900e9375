package dev.deliverytracker.send.provider;

import dev.deliverytracker.events.Channel;
import dev.deliverytracker.send.dispatch.ProviderAnswer;
import dev.deliverytracker.send.dispatch.ProviderUnavailableException;
import dev.deliverytracker.send.dispatch.Recipient;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the Korean-only providers (NCP SENS, Aligo) share: a number abroad is refused on its own and the rest are sent
 * (their APIs take a national number), and which flows they take (AlimTalk first, at most one SMS/LMS fail-over; or,
 * where the provider has an SMS API this service uses, one SMS/LMS).
 */
public final class KoreanRecipients {

    /** Sends to Korean recipients only, answering one per recipient, in order. */
    @FunctionalInterface
    public interface Send {
        List<ProviderAnswer> to(List<Recipient> korean) throws ProviderUnavailableException;
    }

    private KoreanRecipients() {
    }

    /** Sends to the Korean numbers among {@code recipients}; each number abroad gets {@code NOT_KOREAN}, in its place. */
    public static List<ProviderAnswer> send(String provider, List<Recipient> recipients, Send send) throws ProviderUnavailableException {
        List<Recipient> korean = recipients.stream().filter(r -> r.to().domestic().isPresent()).toList();
        List<ProviderAnswer> sent = korean.isEmpty() ? List.of() : send.to(korean);
        List<ProviderAnswer> answers = new ArrayList<>(recipients.size());
        int next = 0;
        for (Recipient recipient : recipients) {
            answers.add(recipient.to().domestic().isPresent() ? sent.get(next++)
                    : new ProviderAnswer.Rejected("NOT_KOREAN", provider + " sends to Korean numbers (+82) only"));
        }
        return answers;
    }

    /** Why {@code provider} cannot send {@code flow}: AlimTalk first with at most one SMS/LMS fail-over, or one SMS/LMS if {@code plainSms}. */
    public static Optional<String> checkFlow(String provider, List<Channel> flow, boolean plainSms) {
        if (plainSms && flow.size() == 1 && (flow.get(0) == Channel.SMS || flow.get(0) == Channel.LMS)) {
            return Optional.empty();
        }
        if (flow.isEmpty() || flow.get(0) != Channel.ALIMTALK) {
            return Optional.of("through " + provider + " this service sends AlimTalk, with an optional SMS or LMS fail-over"
                    + (plainSms ? ", or one SMS or LMS" : "; a flow starting with SMS or LMS is not supported yet"));
        }
        if (flow.size() > 2 || (flow.size() == 2 && flow.get(1) != Channel.SMS && flow.get(1) != Channel.LMS)) {
            return Optional.of(provider + " takes AlimTalk and at most one fail-over step, SMS or LMS");
        }
        return Optional.empty();
    }
}
