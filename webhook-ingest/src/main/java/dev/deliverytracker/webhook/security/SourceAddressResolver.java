package dev.deliverytracker.webhook.security;

import java.net.InetAddress;
import java.util.List;

/**
 * Who really sent a request. The direct peer, unless the peer is one of our trusted proxies (a load balancer): then
 * the right-most address in {@code X-Forwarded-For} that is not itself a trusted proxy. A header from any other peer
 * is ignored: anyone can write one.
 */
public final class SourceAddressResolver {

    private final List<CidrRange> trustedProxies;

    public SourceAddressResolver(List<CidrRange> trustedProxies) {
        this.trustedProxies = List.copyOf(trustedProxies);
    }

    public InetAddress resolve(InetAddress peer, String forwardedFor) {
        if (!isTrusted(peer) || forwardedFor == null || forwardedFor.isBlank()) {
            return peer;
        }
        String[] hops = forwardedFor.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            InetAddress hop = CidrRange.address(hops[i]);
            if (hop == null) {
                return peer; // a malformed chain proves nothing: fall back to the peer we can see
            }
            if (!isTrusted(hop)) {
                return hop;
            }
        }
        return peer;
    }

    private boolean isTrusted(InetAddress address) {
        for (CidrRange range : trustedProxies) {
            if (range.contains(address)) {
                return true;
            }
        }
        return false;
    }
}
