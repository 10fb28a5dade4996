package dev.rollout.clusterbatcher.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The import's field checks, written without regular expressions, accept exactly what the patterns describe; its CSV
 * split reads a line as RFC 4180 does, with quoting or without.
 */
class AgentLineProperties {

    @Provide
    Arbitrary<String> values() {
        return Arbitraries.strings().withChars("aZ09._-:@ ,;\"é/\t").ofMinLength(0).ofMaxLength(140);
    }

    @Property(tries = 3000)
    void theFieldChecksAgreeWithTheirPatterns(@ForAll("values") String value) {
        assertThat(AgentLine.allowed(value, 128, true)).as(value).isEqualTo(AgentLine.AGENT_ID.matcher(value).matches());
        assertThat(AgentLine.allowed(value, 64, false)).as(value).isEqualTo(AgentLine.CLUSTER_ID.matcher(value).matches());
        assertThat(AgentLine.allowed(value, 64, false)).as(value).isEqualTo(AgentLine.REGION.matcher(value).matches());
    }

    @Property(tries = 500)
    void aZoneMapsTheSameTheFirstTimeAndFromMemory(@ForAll("zones") String zone) {
        int first = TimeZones.hourlyZone(zone);
        assertThat(TimeZones.hourlyZone(zone)).isEqualTo(first);
        assertThat(first).isBetween(TimeZones.FIRST, TimeZones.LAST);
    }

    @Provide
    Arbitrary<String> zones() {
        return Arbitraries.oneOf(Arbitraries.integers().between(-12, 14).map(h -> h < 0 ? "UTC" + h : "UTC+" + h),
                Arbitraries.of("Europe/Paris", "America/New_York", "Asia/Kolkata", "Z", "GMT", "+05:30", "-0930"));
    }

    @Property(tries = 2000)
    void aLineWithoutQuotesSplitsAtEveryComma(@ForAll("unquoted") String line) {
        assertThat(FleetLineParser.splitCsv(line)).as(line).isEqualTo(Arrays.asList(line.split(",", -1)));
    }

    @Property(tries = 2000)
    void quotedFieldsComeBackAsTheyWere(@ForAll("fieldLists") List<String> fields) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < fields.size(); i++) {
            line.append(i == 0 ? "" : ",").append('"').append(fields.get(i).replace("\"", "\"\"")).append('"');
        }
        assertThat(FleetLineParser.splitCsv(line.toString())).as(line.toString()).isEqualTo(fields);
    }

    @Provide
    Arbitrary<String> unquoted() {
        return Arbitraries.strings().withChars("aZ09._-:@ ,;=é/\t").ofMinLength(0).ofMaxLength(120);
    }

    @Provide
    Arbitrary<List<String>> fieldLists() {
        return Arbitraries.strings().withChars("aZ09._- ,;=\"é").ofMinLength(0).ofMaxLength(20).list().ofMinSize(1)
                .ofMaxSize(7);
    }
}
