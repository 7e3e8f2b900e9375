package dev.deliverytracker.send.privacy;

import dev.deliverytracker.support.PhoneRedactor;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A recipient's phone number, normalised the way Bizgo wants it: domestic numbers as digits only
 * ({@code 01012345678}), international ones as country code and number without the plus ({@code 821012345678}).
 * {@link #toString()} is masked, so a number that reaches a log line by accident is still masked.
 */
public final class PhoneNumber {

    private static final Pattern SEPARATORS = Pattern.compile("[\\s().-]");
    private static final Pattern DOMESTIC = Pattern.compile("0[1-9][0-9]{7,9}");
    private static final Pattern INTERNATIONAL = Pattern.compile("[1-9][0-9]{7,14}");

    private final String digits;

    private PhoneNumber(String digits) {
        this.digits = digits;
    }

    /** The number, or empty when it is not a phone number we can send to. Never echoes the input in errors. */
    public static Optional<PhoneNumber> parse(String raw) {
        if (raw == null || raw.length() > 32) {
            return Optional.empty();
        }
        String compact = SEPARATORS.matcher(raw.trim()).replaceAll("");
        if (compact.startsWith("+")) {
            String digits = compact.substring(1);
            if (digits.startsWith("820")) {
                digits = "82" + digits.substring(3);
            }
            return INTERNATIONAL.matcher(digits).matches() ? Optional.of(new PhoneNumber(digits)) : Optional.empty();
        }
        return DOMESTIC.matcher(compact).matches() ? Optional.of(new PhoneNumber(compact)) : Optional.empty();
    }

    /** The digits to send to the provider. Never log this. */
    public String digits() {
        return digits;
    }

    /**
     * A Korean number in its domestic form ({@code 01012345678}, also for {@code +821012345678}), for providers that
     * take a country code and a national number apart; empty for other countries. Never log this.
     */
    public Optional<String> domestic() {
        if (digits.startsWith("0")) {
            return Optional.of(digits);
        }
        return digits.startsWith("82") ? Optional.of("0" + digits.substring(2)) : Optional.empty();
    }

    /**
     * Masked for events and logs: the prefix and up to the last four digits stay, at least four become {@code *}
     * ({@code 010-****-5678}; {@code 02-****-567} for a 9-digit Seoul number; {@code +82-******-5678}).
     */
    public String masked() {
        if (digits.startsWith("0")) {
            int prefix = digits.startsWith("02") ? 2 : 3; // Seoul's area code is the only two-digit one
            return PhoneRedactor.mask(digits.substring(0, prefix), digits.substring(prefix));
        }
        String country = digits.startsWith("82") ? "82" : digits.substring(0, 1);
        return PhoneRedactor.mask("+" + country, digits.substring(country.length()));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PhoneNumber that && digits.equals(that.digits);
    }

    @Override
    public int hashCode() {
        return digits.hashCode();
    }

    @Override
    public String toString() {
        return masked();
    }
}
