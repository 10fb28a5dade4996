package dev.rollout.starter.outbound;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.util.Timeout;

/**
 * The one way out of the platform to an address a user gave (webhooks, Prometheus sources). A host name is
 * resolved once, every address it resolves to is checked against {@link AddressPolicy}, and the connection is
 * made to exactly those addresses: no second lookup between the check and the connection, so DNS rebinding
 * cannot slip a private address in. No redirects are followed (a 3xx is an answer), no cookies are kept.
 */
public final class OutboundHttp implements AutoCloseable {

    /** An answer: its status and at most the first {@code maxBody} bytes of its body. */
    public record Answer(int status, String body) {
    }

    /** A host refused by the policy; the connection was never attempted. */
    public static final class RefusedAddressException extends UnknownHostException {
        RefusedAddressException(String reason) {
            super(reason);
        }
    }

    /** Name resolution, replaceable in tests (a name that rebinds between two lookups). */
    interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private static final int MAX_BODY = 4 * 1024 * 1024;

    private final OutboundProperties properties;
    private final Resolver names;
    private final CloseableHttpClient client;

    public OutboundHttp(OutboundProperties properties) {
        this(properties, InetAddress::getAllByName);
    }

    OutboundHttp(OutboundProperties properties, Resolver names) {
        this.properties = properties;
        this.names = names;
        DnsResolver resolver = new DnsResolver() {
            @Override
            public InetAddress[] resolve(String host) throws UnknownHostException {
                return checkedAddresses(host);
            }

            @Override
            public String resolveCanonicalHostname(String host) {
                return host;
            }
        };
        this.client = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create().setDnsResolver(resolver)
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(Timeout.of(properties.connectTimeout())).build())
                        .setMaxConnTotal(50).setMaxConnPerRoute(10).build())
                .disableRedirectHandling().disableCookieManagement().disableAutomaticRetries()
                .build();
    }

    /**
     * Empty when the URL may be called now; otherwise why not, in words for the caller who gave it. Checked when
     * a URL is registered; every call checks the addresses it connects to again.
     */
    public Optional<String> refusal(String url) {
        Optional<String> malformed = malformed(url);
        if (malformed.isPresent()) {
            return malformed;
        }
        String host = URI.create(url).getHost();
        try {
            checkedAddresses(host);
            return Optional.empty();
        }
        catch (RefusedAddressException e) {
            return Optional.of(e.getMessage());
        }
        catch (UnknownHostException e) {
            return Optional.of("host " + host + " does not resolve");
        }
    }

    /** Why the URL cannot be called whatever its host resolves to (scheme, host, credentials), or empty. */
    private static Optional<String> malformed(String url) {
        URI uri;
        try {
            uri = new URI(url);
        }
        catch (URISyntaxException e) {
            return Optional.of("not a URL: " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            return Optional.of("the URL must be http or https, not '" + scheme + "'");
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            return Optional.of("the URL has no host");
        }
        if (uri.getRawUserInfo() != null) {
            return Optional.of("the URL must not carry credentials");
        }
        return Optional.empty();
    }

    public Answer get(String url, Map<String, String> headers, Duration timeout) throws IOException {
        return send(new HttpGet(url), headers, timeout);
    }

    public Answer post(String url, Map<String, String> headers, String json, Duration timeout) throws IOException {
        HttpPost post = new HttpPost(url);
        post.setEntity(new StringEntity(json, ContentType.APPLICATION_JSON));
        return send(post, headers, timeout);
    }

    private Answer send(HttpUriRequestBase request, Map<String, String> headers, Duration timeout) throws IOException {
        // the addresses are checked once, by the resolver of the connection itself
        Optional<String> malformed = malformed(uriOf(request));
        if (malformed.isPresent()) {
            throw new RefusedAddressException(malformed.get());
        }
        headers.forEach(request::setHeader);
        request.setConfig(RequestConfig.custom().setResponseTimeout(Timeout.of(timeout))
                .setConnectionRequestTimeout(Timeout.of(timeout)).build());
        return client.execute(request, response -> {
            HttpEntity entity = response.getEntity();
            String body = "";
            if (entity != null) {
                try (InputStream in = entity.getContent()) {
                    byte[] bytes = in.readNBytes(MAX_BODY + 1);
                    if (bytes.length > MAX_BODY) {
                        throw new IOException("the answer is larger than " + MAX_BODY + " bytes");
                    }
                    body = new String(bytes, StandardCharsets.UTF_8);
                }
            }
            return new Answer(response.getCode(), body);
        });
    }

    private static String uriOf(HttpUriRequestBase request) {
        try {
            return request.getUri().toString();
        }
        catch (URISyntaxException e) {
            return request.getRequestUri();
        }
    }

    /** Resolves a host once; every address must pass, or none is used. */
    InetAddress[] checkedAddresses(String host) throws UnknownHostException {
        String name = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        String lower = name.toLowerCase(Locale.ROOT);
        if (!properties.allowedHosts().isEmpty() && !matches(properties.allowedHosts(), lower)) {
            throw new RefusedAddressException("host " + name + " is not on the allow-list (rollout.outbound.allowed-hosts)");
        }
        InetAddress[] addresses = names.resolve(name);
        if (properties.allowPrivate() || matches(properties.privateHosts(), lower)) {
            return addresses;
        }
        for (InetAddress address : addresses) {
            Optional<String> special = AddressPolicy.specialPurpose(address);
            if (special.isPresent()) {
                throw new RefusedAddressException("host " + name + " resolves to " + address.getHostAddress() + ", "
                        + special.get() + "; refused by the outbound address policy (rollout.outbound.private-hosts"
                        + " names the hosts that may)");
            }
        }
        return addresses;
    }

    private static boolean matches(List<String> patterns, String host) {
        return patterns.stream().map(p -> p.toLowerCase(Locale.ROOT))
                .anyMatch(p -> p.startsWith("*.") ? host.endsWith(p.substring(1)) || host.equals(p.substring(2)) : host.equals(p));
    }

    @Override
    public void close() throws IOException {
        client.close();
    }
}
