package dev.rollout.clusterbatcher.agentapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Acknowledgements read in place are the ones each line says when it is cut into its fields and each field stripped:
 * whatever the white space, the line breaks, the number of fields, a rollout or version that changes from one line to
 * the next, or a number that is not one.
 */
class AckCsvProperties {

    private static final String[] ROLLOUTS = { "123e4567-e89b-12d3-a456-426614174000",
            "0b7c4c7e-58a1-4d3c-9d0e-5a0c1f6e2b11", "not-a-rollout", "" };

    @Provide
    Arbitrary<String> padding() {
        return Arbitraries.of("", "", "", " ", "\t", "  ", "\u2003");
    }

    @Provide
    Arbitrary<String> lines() {
        Arbitrary<String> field = Arbitraries.oneOf(Arbitraries.of(ROLLOUTS), Arbitraries.of("2.4.0", "2.4.1", "OK",
                "FAILED", "ok", "40", "-3", "+7", "2147483648", "x1", "", "3.17.AbCdEfGh_-123456"),
                Arbitraries.strings().withChars("ab-0.9").ofMaxLength(6));
        Arbitrary<String> padded = padding().flatMap(before -> field.flatMap(f -> padding().map(after -> before + f + after)));
        // mostly lines of the header's fields in their places, some with a field too many or too few, some blank
        Arbitrary<String> regular = Arbitraries.integers().between(0, 3).flatMap(r -> padding().flatMap(p -> Arbitraries
                .integers().between(0, 99).map(n -> p + "agent-" + n + p + "," + ROLLOUTS[r] + "," + (n % 3 == 0 ? "2.4.1"
                        : "2.4.0") + "," + (n % 5 == 0 ? "FAILED" : "OK") + "," + n + ",100," + (n % 2) + ",3." + n
                        + ".AbCdEfGh_-123456")));
        Arbitrary<String> cut = padded.list().ofMinSize(1).ofMaxSize(10).map(f -> String.join(",", f));
        return Arbitraries.frequencyOf(Tuple.of(6, regular), Tuple.of(3, cut), Tuple.of(1, padding()));
    }

    @Property(tries = 1_000)
    void eachLineReadsAsItsStrippedFieldsSay(@ForAll boolean seats,
            @ForAll("bodies") List<String> lines, @ForAll boolean crlf) {
        String header = seats ? AckCsv.HEADER_WITH_SEATS : AckCsv.HEADER;
        String body = header + "\n" + String.join(crlf ? "\r\n" : "\n", lines);
        List<AckIngest.Ack> expected = new ArrayList<>();
        for (String line : lines) {
            if (!line.isBlank()) {
                expected.add(cut(line, header, seats ? 8 : 7));
            }
        }
        if (expected.isEmpty()) {
            return; // refused as a whole: AckCsvTest
        }

        assertThat(AckCsv.parse(body, 10_000)).containsExactlyElementsOf(expected);
    }

    @Provide
    Arbitrary<List<String>> bodies() {
        return lines().list().ofMinSize(1).ofMaxSize(40);
    }

    /** What a line says, cut into its fields with split and each field stripped. */
    private static AckIngest.Ack cut(String line, String header, int fields) {
        String[] f = line.split(",", -1);
        if (f.length != fields) {
            return AckIngest.Ack.unreadable("the line has " + f.length + (f.length == 1 ? " field" : " fields")
                    + " where the header names " + fields + ": " + header);
        }
        UUID rollout;
        try {
            rollout = UUID.fromString(f[1].strip());
        }
        catch (IllegalArgumentException e) {
            rollout = null;
        }
        AckIngest.Status status = switch (f[3].strip()) {
            case "OK" -> AckIngest.Status.OK;
            case "FAILED" -> AckIngest.Status.FAILED;
            default -> null;
        };
        return new AckIngest.Ack(f[0].strip(), rollout, f[2].strip(), status, number(f[4]), number(f[5]), number(f[6]),
                fields == 8 && !f[7].isBlank() ? f[7].strip() : null);
    }

    private static int number(String text) {
        try {
            return Integer.parseInt(text.strip());
        }
        catch (NumberFormatException e) {
            return -1;
        }
    }
}
