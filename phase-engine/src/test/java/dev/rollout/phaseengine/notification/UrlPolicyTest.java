package dev.rollout.phaseengine.notification;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Webhooks and SSRF: no loopback, private, link-local (cloud metadata) or unique-local address unless allowed. */
class UrlPolicyTest {

    UrlPolicy strict = new UrlPolicy(new NotificationProperties(List.of(), false, null, null, null));

    @Test
    void refusesLoopbackPrivateLinkLocalAndMetadataAddresses() {
        for (String url : List.of("http://127.0.0.1:8080/x", "http://localhost/x", "http://10.1.2.3/x", "http://192.168.0.5/x",
                "http://172.16.4.4/x", "http://169.254.169.254/latest/meta-data", "http://[::1]/x", "http://[fd00::1]/x",
                "http://0.0.0.0/x")) {
            assertThat(strict.refusal(url)).as(url).isPresent();
        }
        assertThat(strict.refusal("http://169.254.169.254/latest/meta-data").orElseThrow()).contains("loopback or private");
    }

    @Test
    void refusesOtherSchemesCredentialsAndHostsOffTheAllowList() {
        assertThat(strict.refusal("file:///etc/passwd")).get().asString().contains("http or https");
        assertThat(strict.refusal("https://u:p@93.184.215.14/x")).get().asString().contains("credentials");
        UrlPolicy listed = new UrlPolicy(new NotificationProperties(List.of("*.slack.com", "hooks.example.org"), false,
                null, null, null));
        assertThat(listed.refusal("https://evil.example.net/x")).get().asString().contains("allow-list");
        assertThat(listed.refusal("https://93.184.215.14/x")).get().asString().contains("allow-list");
    }

    @Test
    void allowsPublicAddressesAndPrivateOnesWhenConfigured() {
        assertThat(strict.refusal("https://93.184.215.14/hook")).isEmpty();
        UrlPolicy inCluster = new UrlPolicy(new NotificationProperties(List.of(), true, null, null, null));
        assertThat(inCluster.refusal("http://127.0.0.1:8080/hook")).isEmpty();
    }
}
