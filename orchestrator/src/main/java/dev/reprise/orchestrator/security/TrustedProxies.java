package dev.reprise.orchestrator.security;

import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The proxies in front of the orchestrator whose {@code X-Forwarded-Proto}, {@code X-Forwarded-Host} and
 * {@code X-Forwarded-For} headers are believed ({@code reprise.security.trusted-proxies}: addresses or CIDR blocks).
 * From any other peer those headers are ignored, so a client cannot claim https or another address by sending them.
 */
@ApplicationScoped
public class TrustedProxies {

    private record Block(byte[] network, int bits) {
        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = bits / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = 0xff << (8 - rest) & 0xff;
            return (address[full] & mask) == (network[full] & mask);
        }
    }

    private final List<Block> blocks;

    @jakarta.inject.Inject
    public TrustedProxies(SecurityConfig config) {
        this(config.trustedProxies().orElse(List.of()));
    }

    TrustedProxies(List<String> entries) {
        List<Block> parsed = new ArrayList<>();
        for (String entry : entries) {
            String e = entry.strip();
            if (e.isEmpty()) {
                continue;
            }
            int slash = e.indexOf('/');
            byte[] network = literal(slash < 0 ? e : e.substring(0, slash));
            if (network == null) {
                throw new IllegalArgumentException("reprise.security.trusted-proxies: '" + e
                        + "' is not an IP address or CIDR block");
            }
            int bits = slash < 0 ? network.length * 8 : Integer.parseInt(e.substring(slash + 1));
            parsed.add(new Block(network, bits));
        }
        this.blocks = List.copyOf(parsed);
    }

    /** Whether the peer at this address is a trusted proxy. */
    public boolean trusted(String address) {
        byte[] a = literal(address);
        return a != null && blocks.stream().anyMatch(b -> b.contains(a));
    }

    /** Whether the client reached us over https: directly, or as a trusted proxy says. */
    public boolean https(HttpServerRequest request) {
        if (request.isSSL()) {
            return true;
        }
        String proto = forwarded(request, "X-Forwarded-Proto");
        return proto != null && "https".equals(proto.toLowerCase(Locale.ROOT));
    }

    /** The host (and port) the client addressed: the Host header, or a trusted proxy's X-Forwarded-Host. */
    public String host(HttpServerRequest request) {
        String forwarded = forwarded(request, "X-Forwarded-Host");
        if (forwarded != null) {
            return forwarded;
        }
        // the Host header, or HTTP/2's :authority
        io.vertx.core.net.HostAndPort authority = request.authority();
        if (authority == null) {
            return request.getHeader("Host");
        }
        return authority.port() >= 0 ? authority.host() + ":" + authority.port() : authority.host();
    }

    /** The client's address: the peer's, or the last untrusted hop a trusted proxy names in X-Forwarded-For. */
    public String clientAddress(HttpServerRequest request) {
        String peer = request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
        if (peer == null || !trusted(peer)) {
            return peer;
        }
        String chain = request.getHeader("X-Forwarded-For");
        if (chain == null) {
            return peer;
        }
        String[] hops = chain.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].strip();
            if (!hop.isEmpty() && !trusted(hop)) {
                return hop;
            }
        }
        return peer;
    }

    /** The first value of a forwarding header when the peer is trusted, else null. */
    private String forwarded(HttpServerRequest request, String header) {
        String value = request.getHeader(header);
        if (value == null || request.remoteAddress() == null || !trusted(request.remoteAddress().hostAddress())) {
            return null;
        }
        String first = value.split(",")[0].strip();
        return first.isEmpty() ? null : first;
    }

    /** The bytes of an IP literal, or null when it is not one (never a DNS lookup). */
    private static byte[] literal(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        String t = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        boolean v4 = t.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        boolean v6 = t.contains(":") && t.matches("[0-9A-Fa-f:.%a-zA-Z0-9]+");
        if (!v4 && !v6) {
            return null;
        }
        try {
            return InetAddress.getByName(t).getAddress();
        } catch (UnknownHostException | SecurityException e) {
            return null;
        }
    }
}
