package dev.deliverytracker.webhook.security;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** An IPv4 or IPv6 address range in CIDR notation ({@code 211.115.98.154}, {@code 10.0.0.0/8}, {@code ::1/128}). */
public final class CidrRange {

    private final byte[] network;
    private final int prefix;
    private final String text;

    private CidrRange(byte[] network, int prefix, String text) {
        this.network = network;
        this.prefix = prefix;
        this.text = text;
    }

    /** Parses a literal address or range; host names are refused (no DNS lookups in a security check). */
    public static CidrRange parse(String value) {
        String trimmed = value.trim();
        int slash = trimmed.indexOf('/');
        String address = slash < 0 ? trimmed : trimmed.substring(0, slash);
        byte[] bytes = literal(address, value);
        int prefix = bytes.length * 8;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(trimmed.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + value + "' is not a CIDR range: bad prefix length");
            }
            if (prefix < 0 || prefix > bytes.length * 8) {
                throw new IllegalArgumentException("'" + value + "' is not a CIDR range: prefix out of range");
            }
        }
        return new CidrRange(bytes, prefix, trimmed);
    }

    public boolean contains(InetAddress address) {
        byte[] candidate = address.getAddress();
        if (candidate.length != network.length) {
            return false;
        }
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (candidate[i] != network[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xFF << (8 - rest)) & 0xFF;
        return (candidate[full] & mask) == (network[full] & mask);
    }

    /** Parses an address literal without DNS; null if it is not one. */
    public static InetAddress address(String literal) {
        try {
            return InetAddress.getByAddress(literal(literal.trim(), literal));
        } catch (IllegalArgumentException | UnknownHostException e) {
            return null;
        }
    }

    private static final java.util.regex.Pattern IPV4 = java.util.regex.Pattern.compile(
            "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");

    /**
     * A dotted-quad IPv4 or an IPv6 literal, parsed without any name lookup: a string that is neither (a host
     * name, {@code cafe}, {@code 1.2.3}) is refused rather than resolved.
     */
    private static byte[] literal(String address, String original) {
        boolean v4 = IPV4.matcher(address).matches();
        boolean v6 = !v4 && address.indexOf(':') >= 0 && address.matches("[0-9a-fA-F:.]+");
        if (!v4 && !v6) {
            throw new IllegalArgumentException("'" + original + "' is not an IP address or CIDR range (host names are not"
                    + " looked up: write the address)");
        }
        try {
            return InetAddress.getByName(address).getAddress(); // a literal (checked above): no lookup happens
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + original + "' is not an IP address or CIDR range", e);
        }
    }

    @Override
    public String toString() {
        return text;
    }
}
