package dev.rollout.clusterbatcher.agentapi;

import static org.assertj.core.api.Assertions.assertThat;


import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The If-None-Match reading done in place on every poll agrees with reading it by splitting the list. */
class EntityTagProperties {

    @Property(tries = 3000)
    void inPlaceReadingAgreesWithTheList(@ForAll("headers") String header, @ForAll("tokens") String token) {
        assertThat(AgentApiController.matches(header, token)).as(header).isEqualTo(byList(header, token));
    }

    static boolean byList(String ifNoneMatch, String token) {
        for (String tag : ifNoneMatch.split(",", -1)) {
            String t = tag.strip();
            if (t.startsWith("W/")) {
                t = t.substring(2);
            }
            if (t.equals("*") || t.equals("\"" + token + "\"")) {
                return true;
            }
        }
        return false;
    }

    @Provide
    Arbitrary<String> tokens() {
        return Arbitraries.of("50fe69cb69362204a23a6f28", "none", "a");
    }

    @Provide
    Arbitrary<String> headers() {
        Arbitrary<String> tag = Arbitraries.oneOf(Arbitraries.of("\"50fe69cb69362204a23a6f28\"", "W/\"50fe69cb69362204a23a6f28\"",
                "\"none\"", "\"a\"", "*", "\"\"", "\"", "W/", "W/*", "\"a", "a\"", ""),
                Arbitraries.strings().withChars("\"W/*, a").ofMaxLength(8));
        Arbitrary<String> space = Arbitraries.of("", " ", "  ", "\t");
        return Combinators.combine(tag.list().ofMinSize(1).ofMaxSize(4), space.list().ofSize(8))
                .as((tags, spaces) -> {
                    StringBuilder header = new StringBuilder();
                    for (int i = 0; i < tags.size(); i++) {
                        header.append(i == 0 ? "" : ",").append(spaces.get(i)).append(tags.get(i)).append(spaces.get(i + 4));
                    }
                    return header.toString();
                });
    }

}
