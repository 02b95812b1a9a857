package io.github.apikey.core.domain;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A block of IPv4 or IPv6 addresses in CIDR notation ({@code 203.0.113.0/24}, {@code 2001:db8::/32}); a bare address
 * is a block of one. Parsing never consults DNS: only address literals are accepted.
 */
public final class IpRange {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+");

    private final byte[] network;
    private final int prefixLength;

    private IpRange(byte[] network, int prefixLength) {
        this.network = network;
        this.prefixLength = prefixLength;
    }

    /**
     * Parses CIDR notation; host bits set below the prefix are cleared ({@code 10.1.2.3/8} is {@code 10.0.0.0/8}).
     *
     * @throws IllegalArgumentException if {@code cidr} is not an address literal with an optional prefix length
     */
    public static IpRange parse(String cidr) {
        Objects.requireNonNull(cidr, "cidr");
        String text = cidr.strip();
        int slash = text.indexOf('/');
        String address = slash < 0 ? text : text.substring(0, slash);
        byte[] bytes = parseLiteral(address);
        if (bytes == null) {
            throw new IllegalArgumentException("not an IP address or CIDR block: '" + cidr + "'");
        }
        int bits = bytes.length * 8;
        int prefix = bits;
        if (slash >= 0) {
            String length = text.substring(slash + 1);
            if (!length.matches("\\d{1,3}") || Integer.parseInt(length) > bits) {
                throw new IllegalArgumentException("prefix length must be 0 to " + bits + ": '" + cidr + "'");
            }
            prefix = Integer.parseInt(length);
        }
        return new IpRange(mask(bytes, prefix), prefix);
    }

    /**
     * The address an address literal stands for, without any DNS lookup.
     *
     * @return the address, or {@code null} if {@code literal} is not an IPv4 or IPv6 literal
     */
    public static InetAddress parseAddress(String literal) {
        byte[] bytes = literal == null ? null : parseLiteral(literal.strip());
        try {
            return bytes == null ? null : InetAddress.getByAddress(bytes);
        } catch (UnknownHostException impossible) {
            return null;
        }
    }

    private static byte[] parseLiteral(String literal) {
        String text = literal.startsWith("[") && literal.endsWith("]")
                ? literal.substring(1, literal.length() - 1) : literal;
        boolean v4 = IPV4.matcher(text).matches();
        boolean v6 = !v4 && text.indexOf(':') >= 0 && IPV6.matcher(text).matches();
        if (!v4 && !v6) {
            return null;
        }
        if (v4) {
            for (String part : text.split("\\.")) {
                if (Integer.parseInt(part) > 255) {
                    return null;
                }
            }
        }
        try {
            // Only literals reach this point, and InetAddress resolves a literal without DNS.
            return InetAddress.getByName(text).getAddress();
        } catch (UnknownHostException | SecurityException malformed) {
            return null;
        }
    }

    private static byte[] mask(byte[] address, int prefix) {
        byte[] masked = address.clone();
        for (int bit = prefix; bit < masked.length * 8; bit++) {
            masked[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        return masked;
    }

    /** Whether {@code address} lies in this block; an IPv4-mapped IPv6 address counts as its IPv4 address. */
    public boolean contains(InetAddress address) {
        if (address == null) {
            return false;
        }
        byte[] candidate = address.getAddress();
        if (candidate.length == 16 && network.length == 4 && isIpv4Mapped(candidate)) {
            candidate = Arrays.copyOfRange(candidate, 12, 16);
        }
        if (candidate.length != network.length) {
            return false;
        }
        return Arrays.equals(mask(candidate, prefixLength), network);
    }

    private static boolean isIpv4Mapped(byte[] address) {
        for (int i = 0; i < 10; i++) {
            if (address[i] != 0) {
                return false;
            }
        }
        return address[10] == (byte) 0xff && address[11] == (byte) 0xff;
    }

    /** Canonical CIDR notation, as stored. */
    @Override
    public String toString() {
        try {
            String host = InetAddress.getByAddress(network).getHostAddress();
            return host + "/" + prefixLength;
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof IpRange that && prefixLength == that.prefixLength
                && Arrays.equals(network, that.network);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(network) + prefixLength;
    }
}
