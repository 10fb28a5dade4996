package dev.rollout.starter.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;

/** One address policy for webhooks and metric sources, checked on the address the connection really uses. */
class OutboundHttpTest {

    static OutboundProperties strict() {
        return new OutboundProperties(List.of(), List.of(), false, Duration.ofSeconds(1));
    }

    static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        }
        catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Test
    void everySpecialPurposeRangeIsRefusedInBothFamilies() {
        for (String address : List.of("0.0.0.0", "10.1.2.3", "100.64.0.1", "100.100.100.200", "127.0.0.1", "169.254.169.254",
                "172.16.4.4", "172.31.255.255", "192.0.0.170", "192.0.2.1", "192.168.0.5", "198.18.0.1", "198.19.255.255",
                "198.51.100.7", "203.0.113.9", "224.0.0.1", "240.0.0.1", "255.255.255.255", "::", "::1", "fd00::1",
                "fe80::1", "ff02::1", "2001:db8::1", "64:ff9b::a9fe:a9fe", "64:ff9b::7f00:1", "::7f00:1", "::a00:1",
                "2002:7f00:1::", "2002:a9fe:a9fe::1", "2001::1", "64:ff9b:1::1", "100::1")) {
            assertThat(AddressPolicy.specialPurpose(ip(address))).as(address).isPresent();
        }
    }

    @Test
    void globallyReachableAddressesPass() {
        for (String address : List.of("93.184.215.14", "8.8.8.8", "100.63.255.255", "100.128.0.1", "172.32.0.1",
                "198.20.0.1", "2606:4700:4700::1111", "64:ff9b::808:808", "2002:808:808::1")) {
            assertThat(AddressPolicy.specialPurpose(ip(address))).as(address).isEmpty();
        }
    }

    @Test
    void embeddedIpv4FormsAreJudgedByTheirIpv4Address() {
        assertThat(AddressPolicy.specialPurpose(ip("64:ff9b::a9fe:a9fe")).orElseThrow())
                .contains("NAT64").contains("link-local");
        assertThat(AddressPolicy.specialPurpose(ip("::ffff:169.254.169.254")).orElseThrow()).contains("link-local");
    }

    @Test
    void refusesUrlsByScheme_credentials_allowList_andResolvedAddress() {
        OutboundHttp http = new OutboundHttp(strict());
        assertThat(http.refusal("file:///etc/passwd")).get().asString().contains("http or https");
        assertThat(http.refusal("https://u:p@93.184.215.14/x")).get().asString().contains("credentials");
        assertThat(http.refusal("http://exa mple.com/")).get().asString().startsWith("not a URL");
        assertThat(http.refusal("http://169.254.169.254/latest/meta-data")).get().asString()
                .contains("169.254.169.254").contains("link-local");
        assertThat(http.refusal("http://100.100.100.200/")).get().asString().contains("RFC 6598");
        assertThat(http.refusal("http://localhost:8080/")).get().asString().contains("loopback");
        assertThat(http.refusal("http://[::ffff:7f00:1]/")).isPresent();
        assertThat(http.refusal("https://93.184.215.14/hook")).isEmpty();
        OutboundHttp listed = new OutboundHttp(new OutboundProperties(List.of("*.slack.com"), List.of(), false, null));
        assertThat(listed.refusal("https://93.184.215.14/x")).get().asString().contains("allow-list");
    }

    @Test
    void namedPrivateHostsAndTheTestSwitchAllowInternalAddresses() {
        assertThat(new OutboundHttp(new OutboundProperties(List.of(), List.of("localhost"), false, null))
                .refusal("http://localhost:9090/")).isEmpty();
        assertThat(new OutboundHttp(new OutboundProperties(List.of(), List.of(), true, null))
                .refusal("http://127.0.0.1:9090/")).isEmpty();
    }

    @Test
    void aNameThatRebindsToAnInternalAddressAfterTheCheckIsNeverConnectedTo() throws Exception {
        HttpServer internal = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        AtomicInteger reached = new AtomicInteger();
        internal.createContext("/", exchange -> {
            reached.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        internal.start();
        try {
            AtomicInteger lookups = new AtomicInteger();
            // first lookup (the check at registration) answers a public address; every later one the internal server
            OutboundHttp http = new OutboundHttp(strict(), host -> new InetAddress[] {
                    lookups.getAndIncrement() == 0 ? ip("93.184.215.14") : ip("127.0.0.1") });
            String url = "http://rebind.example:" + internal.getAddress().getPort() + "/api/v1/query";
            assertThat(http.refusal(url)).as("the check when the URL is registered sees a public address").isEmpty();
            assertThatThrownBy(() -> http.get(url, Map.of(), Duration.ofSeconds(2)))
                    .isInstanceOf(OutboundHttp.RefusedAddressException.class).hasMessageContaining("127.0.0.1");
            assertThat(reached).hasValue(0);
        }
        finally {
            internal.stop(0);
        }
    }

    @Test
    void answersOfAnAllowedHostComeBackWithTheirStatusAndNoRedirectIsFollowed() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/moved", exchange -> {
            exchange.getResponseHeaders().add("Location", "http://169.254.169.254/latest/meta-data");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        server.start();
        try {
            OutboundHttp http = new OutboundHttp(new OutboundProperties(List.of(), List.of("127.0.0.1"), false, null));
            OutboundHttp.Answer answer = http.get("http://127.0.0.1:" + server.getAddress().getPort() + "/moved", Map.of(),
                    Duration.ofSeconds(2));
            assertThat(answer.status()).isEqualTo(302);
        }
        finally {
            server.stop(0);
        }
    }
}
