package dev.rollout.starter.outbound;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;

/**
 * The addresses an outbound call (a webhook, a metric source) must not reach unless allowed: every IANA
 * special-purpose range that is not globally reachable (RFC 6890 and its registry), in both families, and
 * IPv6 forms that carry an IPv4 address inside (mapped, compatible, NAT64, 6to4) judged by that address.
 * Pure: no resolution here.
 */
public final class AddressPolicy {

    private record Range(byte[] network, int prefix, String name) {
        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (address[full] & mask) == (network[full] & mask);
        }
    }

    private static final List<Range> V4 = List.of(
            range("0.0.0.0", 8, "'this network' (RFC 791)"),
            range("10.0.0.0", 8, "private-use (RFC 1918)"),
            range("100.64.0.0", 10, "shared address space, carrier-grade NAT and cloud metadata (RFC 6598)"),
            range("127.0.0.0", 8, "loopback (RFC 1122)"),
            range("169.254.0.0", 16, "link-local, cloud metadata (RFC 3927)"),
            range("172.16.0.0", 12, "private-use (RFC 1918)"),
            range("192.0.0.0", 24, "IETF protocol assignments (RFC 6890)"),
            range("192.0.2.0", 24, "documentation (RFC 5737)"),
            range("192.88.99.0", 24, "6to4 relay anycast (RFC 7526)"),
            range("192.168.0.0", 16, "private-use (RFC 1918)"),
            range("198.18.0.0", 15, "benchmarking (RFC 2544)"),
            range("198.51.100.0", 24, "documentation (RFC 5737)"),
            range("203.0.113.0", 24, "documentation (RFC 5737)"),
            range("224.0.0.0", 4, "multicast (RFC 5771)"),
            range("240.0.0.0", 4, "reserved, and the limited broadcast 255.255.255.255 (RFC 1112, RFC 919)"));

    private static final List<Range> V6 = List.of(
            range("::", 128, "unspecified (RFC 4291)"),
            range("::1", 128, "loopback (RFC 4291)"),
            range("100::", 64, "discard-only (RFC 6666)"),
            range("2001::", 23, "IETF protocol assignments, Teredo (RFC 2928, RFC 4380)"),
            range("2001:db8::", 32, "documentation (RFC 3849)"),
            range("fc00::", 7, "unique-local (RFC 4193)"),
            range("fe80::", 10, "link-local (RFC 4291)"),
            range("fec0::", 10, "site-local, deprecated (RFC 3879)"),
            range("ff00::", 8, "multicast (RFC 4291)"));

    /** Built by hand: {@link InetAddress} turns any {@code ::ffff:a.b.c.d} it parses into an IPv4 address. */
    private static final Range MAPPED = new Range(new byte[] { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff,
            0, 0, 0, 0 }, 96, "IPv4-mapped");
    private static final Range COMPATIBLE = range("::", 96, "IPv4-compatible");
    private static final Range NAT64 = range("64:ff9b::", 96, "NAT64");
    private static final Range NAT64_LOCAL = range("64:ff9b:1::", 48, "local-use NAT64 (RFC 8215)");
    private static final Range SIX_TO_FOUR = range("2002::", 16, "6to4");

    private AddressPolicy() {
    }

    /** Empty for a globally reachable address; otherwise the special-purpose range it belongs to. */
    public static Optional<String> specialPurpose(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (address instanceof Inet4Address) {
            return find(V4, bytes);
        }
        if (!(address instanceof Inet6Address)) {
            return Optional.of("an address of unknown family");
        }
        for (Range carrier : List.of(MAPPED, NAT64)) {
            if (carrier.contains(bytes)) {
                return embedded(carrier, bytes, 12);
            }
        }
        if (SIX_TO_FOUR.contains(bytes)) {
            return embedded(SIX_TO_FOUR, bytes, 2);
        }
        if (NAT64_LOCAL.contains(bytes)) {
            return Optional.of(NAT64_LOCAL.name());
        }
        Optional<String> special = find(V6, bytes);
        if (special.isPresent()) {
            return special;
        }
        if (COMPATIBLE.contains(bytes)) {
            return Optional.of("IPv4-compatible (deprecated, RFC 4291)");
        }
        return Optional.empty();
    }

    private static Optional<String> embedded(Range carrier, byte[] bytes, int offset) {
        byte[] v4 = new byte[] { bytes[offset], bytes[offset + 1], bytes[offset + 2], bytes[offset + 3] };
        return find(V4, v4).map(name -> carrier.name() + " form of an IPv4 address that is " + name);
    }

    private static Optional<String> find(List<Range> ranges, byte[] bytes) {
        return ranges.stream().filter(r -> r.contains(bytes)).map(Range::name).findFirst();
    }

    private static Range range(String network, int prefix, String name) {
        try {
            return new Range(InetAddress.getByName(network).getAddress(), prefix, name);
        }
        catch (UnknownHostException e) {
            throw new IllegalArgumentException(network, e);
        }
    }
}
