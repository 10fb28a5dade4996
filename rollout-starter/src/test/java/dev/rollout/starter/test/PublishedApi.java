package dev.rollout.starter.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A service's OpenAPI document as the repository keeps it ({@code docs/api/<service>.json}): what its consumers'
 * contract tests check their records against. The service's own test fails when the document it serves is not that
 * one, naming the operations and schemas that differ; {@code -Drollout.api-docs.write=true} writes it anew, after which
 * every consumer's contract test says whether the change breaks it.
 */
public final class PublishedApi {

    static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).build();

    private PublishedApi() {
    }

    /** The kept document of a service, from a module's directory (tests run there). */
    public static Path document(String service) {
        return Path.of("..", "docs", "api", service + ".json");
    }

    public static JsonNode read(String service) {
        try {
            return JSON.readTree(Files.readString(document(service)));
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Checks (or, asked to, writes) the kept document against the one the running service serves. */
    static void check(String service, int port) {
        Http.Answer served = Http.localhost(port).get("/v3/api-docs", null);
        assertThat(served.status()).as(served.body()).isEqualTo(200);
        ObjectNode document = (ObjectNode) JSON.readTree(served.body());
        document.remove("servers"); // the test's random port
        String text = JSON.writeValueAsString(JSON.convertValue(document, Object.class)) + "\n";
        Path kept = document(service);
        try {
            if (Boolean.getBoolean("rollout.api-docs.write")) {
                Files.createDirectories(kept.getParent());
                Files.writeString(kept, text, StandardCharsets.UTF_8);
                return;
            }
            assertThat(kept).as("%s's OpenAPI document is kept in %s: write it with -Drollout.api-docs.write=true",
                    service, kept).exists();
            JsonNode before = JSON.readTree(Files.readString(kept));
            assertThat(differences(before, JSON.readTree(text), ""))
                    .as("%s serves another API than %s describes; if the change is meant, write the document anew "
                            + "(-Drollout.api-docs.write=true) and run its consumers' contract tests", service, kept)
                    .isEmpty();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where two documents differ, as JSON pointers with both values (at most 20). */
    static List<String> differences(JsonNode kept, JsonNode served, String at) {
        List<String> out = new ArrayList<>();
        diff(kept, served, at, out);
        return out.size() <= 20 ? out : out.subList(0, 20);
    }

    private static void diff(JsonNode kept, JsonNode served, String at, List<String> out) {
        if (kept.equals(served)) {
            return;
        }
        if (kept.isObject() && served.isObject()) {
            for (String name : kept.propertyNames()) {
                String here = at + "/" + name.replace("~", "~0").replace("/", "~1");
                if (!served.has(name)) {
                    out.add(here + ": kept, no longer served");
                }
                else {
                    diff(kept.get(name), served.get(name), here, out);
                }
            }
            for (String name : served.propertyNames()) {
                if (!kept.has(name)) {
                    out.add(at + "/" + name.replace("~", "~0").replace("/", "~1") + ": served, not kept");
                }
            }
            return;
        }
        out.add(at + ": kept " + abbreviate(kept.toString()) + ", served " + abbreviate(served.toString()));
    }

    private static String abbreviate(String text) {
        return text.length() <= 120 ? text : text.substring(0, 117) + "...";
    }
}
