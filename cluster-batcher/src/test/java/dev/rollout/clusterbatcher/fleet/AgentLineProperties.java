package dev.rollout.clusterbatcher.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The import's field checks, written without regular expressions, accept exactly what the patterns describe. */
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
}
