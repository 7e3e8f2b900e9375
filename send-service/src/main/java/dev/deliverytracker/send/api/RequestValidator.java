package dev.deliverytracker.send.api;

import dev.deliverytracker.events.Channel;
import dev.deliverytracker.send.app.SendServiceProperties;
import dev.deliverytracker.send.dispatch.Addressee;
import dev.deliverytracker.send.dispatch.FlowStep;
import dev.deliverytracker.send.dispatch.OutgoingMessage;
import dev.deliverytracker.send.dispatch.Placeholders;
import dev.deliverytracker.send.dispatch.ProviderAdapter;
import dev.deliverytracker.send.dispatch.ProviderAdapters;
import dev.deliverytracker.send.privacy.PhoneNumber;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns a request into what to send, or names every bad field (JSON-path-like names: {@code flow[1].text},
 * {@code recipients[3].to}). Messages never echo phone numbers or texts back. What a channel's text may be is the
 * provider's rule ({@link ProviderAdapter#channelLimits()}), checked here after the variables are filled in, so a
 * producer learns it before anything is sent.
 */
@Singleton
public class RequestValidator {

    /** The message, its provider's adapter if known, and for each flow step the index it had in the request (for error names). */
    private record Parsed(OutgoingMessage message, Optional<ProviderAdapter> adapter, List<Integer> indices) {
    }

    /** Either a valid send or the bad fields. */
    public record Validated(OutgoingMessage message, List<Addressee> recipients, Map<String, String> errors) {
        public boolean valid() {
            return errors.isEmpty();
        }
    }

    private static final Pattern ORIGIN = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    private static final int MAX_REF = 200;
    private static final int MAX_VARIABLES = 50;

    private final ProviderAdapters adapters;
    private final String defaultProvider;
    private final Duration maxTimeout;
    private final int maxBatch;

    @Inject
    public RequestValidator(ProviderAdapters adapters, SendServiceProperties properties) {
        this(adapters, properties.defaultProvider(), properties.maxTimeout(), properties.maxBatchSize());
    }

    public RequestValidator(ProviderAdapters adapters, String defaultProvider, Duration maxTimeout, int maxBatch) {
        this.adapters = adapters;
        this.defaultProvider = defaultProvider;
        this.maxTimeout = maxTimeout;
        this.maxBatch = maxBatch;
    }

    public Validated single(MessageRequest request, String authenticatedOrigin) {
        Map<String, String> errors = new LinkedHashMap<>();
        Parsed parsed = message(request.flow(), request.origin(), request.ref(), request.provider(), request.timeout(),
                authenticatedOrigin, errors);
        Addressee recipient = recipient("to", "variables", request.to(), request.variables(), null, parsed, errors);
        return new Validated(parsed.message(), recipient == null ? List.of() : List.of(recipient), errors);
    }

    public Validated batch(BatchRequest request, String authenticatedOrigin) {
        Map<String, String> errors = new LinkedHashMap<>();
        Parsed parsed = message(request.flow(), request.origin(), request.ref(), request.provider(), request.timeout(),
                authenticatedOrigin, errors);
        List<Addressee> recipients = new ArrayList<>();
        if (request.recipients() == null || request.recipients().isEmpty()) {
            errors.put("recipients", "at least one recipient is required");
        } else if (request.recipients().size() > maxBatch) {
            errors.put("recipients", "at most " + maxBatch + " recipients per batch, got " + request.recipients().size());
        } else {
            for (int i = 0; i < request.recipients().size(); i++) {
                BatchRequest.BatchRecipient r = request.recipients().get(i);
                String prefix = "recipients[" + i + "]";
                if (r == null) {
                    errors.put(prefix, "must be an object");
                    continue;
                }
                if (r.ref() != null && r.ref().length() > MAX_REF) {
                    errors.put(prefix + ".ref", "at most " + MAX_REF + " characters");
                }
                Addressee recipient = recipient(prefix + ".to", prefix + ".variables", r.to(), r.variables(), r.ref(), parsed, errors);
                if (recipient != null) {
                    recipients.add(recipient);
                }
            }
        }
        return new Validated(parsed.message(), recipients, errors);
    }

    private Parsed message(List<FlowStepRequest> flow, String origin, String ref, String provider, String timeout,
                                    String authenticatedOrigin, Map<String, String> errors) {
        String providerName = provider == null || provider.isBlank() ? defaultProvider : provider.trim().toLowerCase(java.util.Locale.ROOT);
        Optional<ProviderAdapter> adapter = adapters.find(providerName);
        if (adapter.isEmpty()) {
            errors.put("provider", "unknown provider; configured: " + adapters.names());
        }
        String checkedOrigin = origin;
        if (origin == null || origin.isBlank()) {
            if (authenticatedOrigin != null) {
                checkedOrigin = authenticatedOrigin;
            } else {
                errors.put("origin", "required: the calling service's name");
            }
        } else if (!ORIGIN.matcher(origin).matches()) {
            errors.put("origin", "lower-case letters, digits, '.', '_' or '-', at most 64 characters");
        } else if (authenticatedOrigin != null && !authenticatedOrigin.equals(origin)) {
            errors.put("origin", "does not match the token's origin");
        }
        if (ref != null && ref.length() > MAX_REF) {
            errors.put("ref", "at most " + MAX_REF + " characters");
        }
        Duration deadline = null;
        if (timeout != null) {
            try {
                deadline = Duration.parse(timeout);
                if (deadline.isNegative() || deadline.isZero() || deadline.compareTo(maxTimeout) > 0) {
                    errors.put("timeout", "must be positive and at most " + maxTimeout);
                }
            } catch (DateTimeParseException e) {
                errors.put("timeout", "an ISO-8601 duration such as PT10M");
            }
        }
        List<FlowStep> steps = new ArrayList<>();
        List<Integer> indices = new ArrayList<>();
        if (flow == null || flow.isEmpty()) {
            errors.put("flow", "at least one channel is required");
        } else if (flow.size() > 4) {
            errors.put("flow", "at most 4 channels");
        } else {
            Set<Channel> seen = new LinkedHashSet<>();
            for (int i = 0; i < flow.size(); i++) {
                FlowStep step = step("flow[" + i + "]", flow.get(i), adapter, errors);
                if (step != null) {
                    if (!seen.add(step.channel())) {
                        errors.put("flow[" + i + "].channel", step.channel() + " appears twice in the flow");
                    }
                    steps.add(step);
                    indices.add(i);
                }
            }
            if (steps.size() == flow.size()) {
                adapter.flatMap(a -> a.checkFlow(steps.stream().map(FlowStep::channel).toList()))
                        .ifPresent(problem -> errors.put("flow", problem));
            }
        }
        return new Parsed(new OutgoingMessage(providerName, steps, checkedOrigin, ref, deadline), adapter, indices);
    }

    private static FlowStep step(String prefix, FlowStepRequest request, Optional<ProviderAdapter> adapter, Map<String, String> errors) {
        if (request == null) {
            errors.put(prefix, "must be an object");
            return null;
        }
        Channel channel;
        try {
            channel = Channel.valueOf(String.valueOf(request.channel()).trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            channel = null;
        }
        if (channel != Channel.ALIMTALK && channel != Channel.SMS && channel != Channel.LMS) {
            errors.put(prefix + ".channel", "one of ALIMTALK, SMS, LMS");
            return null;
        }
        if (request.text() == null || request.text().isBlank()) {
            errors.put(prefix + ".text", "required");
        }
        String senderKey = null;
        String from = null;
        if (channel == Channel.ALIMTALK) {
            if (request.templateCode() == null || request.templateCode().isBlank()) {
                errors.put(prefix + ".templateCode", "required for ALIMTALK");
            }
            senderKey = request.senderKey() != null ? request.senderKey() : adapter.flatMap(ProviderAdapter::defaultSenderKey).orElse(null);
            if (senderKey == null) {
                errors.put(prefix + ".senderKey", "required for ALIMTALK (no default sender key is configured)");
            }
        } else {
            from = request.from() != null ? request.from().replaceAll("[\\s-]", "") : adapter.flatMap(ProviderAdapter::defaultSmsFrom).orElse(null);
            if (from == null) {
                errors.put(prefix + ".from", "required for " + channel + " (no default sender number is configured)");
            } else if (!from.matches("[0-9]{7,12}")) {
                errors.put(prefix + ".from", "a registered sender number, digits only");
            }
        }
        return new FlowStep(channel, request.text(), request.templateCode(), senderKey, from, request.title());
    }

    private static Addressee recipient(String toField, String variablesField, String to, Map<String, String> variables, String ref,
                                       Parsed parsed, Map<String, String> errors) {
        OutgoingMessage message = parsed.message();
        Optional<PhoneNumber> number = PhoneNumber.parse(to);
        if (to == null || to.isBlank()) {
            errors.put(toField, "required");
        } else if (number.isEmpty()) {
            errors.put(toField, "not a phone number we can send to (010-1234-5678, 01012345678 or +821012345678)");
        }
        Map<String, String> values = variables == null ? Map.of() : variables;
        if (values.size() > MAX_VARIABLES) {
            errors.put(variablesField, "at most " + MAX_VARIABLES + " variables");
        }
        for (int s = 0; s < message.flow().size(); s++) {
            FlowStep step = message.flow().get(s);
            if (step.text() == null) {
                continue;
            }
            String rendered = render(step.text(), values, variablesField, errors);
            String field = "flow[" + parsed.indices().get(s) + "].text";
            parsed.adapter().flatMap(a -> a.channelLimits().check(step.channel(), rendered))
                    .ifPresent(problem -> errors.put(field, problem));
        }
        return number.map(n -> new Addressee(n, values, ref)).orElse(null);
    }

    private static String render(String text, Map<String, String> values, String variablesField, Map<String, String> errors) {
        return Placeholders.render(text, values, name -> errors.put(variablesField + "." + name, "missing: the text uses #{" + name + "}"));
    }
}
