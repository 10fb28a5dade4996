package dev.rollout.phaseengine.notification;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Where webhooks may go: http or https, a host on the allow-list (when there is one), and, unless allowed, no
 * address that is loopback, private, link-local, unique-local, multicast or unspecified, for every address the
 * name resolves to. Checked when a subscription is made and again before every delivery (DNS may change).
 */
final class UrlPolicy {

    private final NotificationProperties properties;

    UrlPolicy(NotificationProperties properties) {
        this.properties = properties;
    }

    /** Empty when the URL may be used; otherwise why not. */
    java.util.Optional<String> refusal(String url) {
        URI uri;
        try {
            uri = URI.create(url);
        }
        catch (IllegalArgumentException e) {
            return java.util.Optional.of("url is not a URL: " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            return java.util.Optional.of("url must be http or https, not '" + scheme + "'");
        }
        String host = uri.getHost();
        if (host == null || host.isBlank()) {
            return java.util.Optional.of("url has no host");
        }
        if (uri.getUserInfo() != null) {
            return java.util.Optional.of("url must not carry credentials; sign deliveries with the secret instead");
        }
        String lower = host.toLowerCase(Locale.ROOT);
        if (!properties.allowedHosts().isEmpty() && properties.allowedHosts().stream().noneMatch(allowed ->
                allowed.startsWith("*.") ? lower.endsWith(allowed.substring(1)) : lower.equals(allowed))) {
            return java.util.Optional.of("host " + host + " is not on the allow-list (rollout.notifications.allowed-hosts)");
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        }
        catch (UnknownHostException e) {
            return java.util.Optional.of("host " + host + " does not resolve");
        }
        if (!properties.allowPrivate()) {
            for (InetAddress address : addresses) {
                if (address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()
                        || address.isAnyLocalAddress() || address.isMulticastAddress() || uniqueLocal(address)) {
                    return java.util.Optional.of("host " + host + " resolves to " + address.getHostAddress()
                            + ", a loopback or private address; refused (rollout.notifications.allow-private)");
                }
            }
        }
        return java.util.Optional.empty();
    }

    private static boolean uniqueLocal(InetAddress address) {
        byte[] bytes = address.getAddress();
        return bytes.length == 16 && (bytes[0] & 0xfe) == 0xfc; // fc00::/7
    }
}
