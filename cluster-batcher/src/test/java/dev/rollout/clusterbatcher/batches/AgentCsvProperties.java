package dev.rollout.clusterbatcher.batches;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * A page of a batch as CSV, written as bytes, is the UTF-8 of the RFC 4180 text: every field as it is, or quoted with
 * its quotes doubled where it holds a comma, a quote or a line break; the seat a fifth column when asked for.
 */
class AgentCsvProperties {

    @Provide
    Arbitrary<String> fields() {
        // mostly plain ASCII, with what must be quoted and characters of two, three and four bytes in UTF-8
        return Arbitraries.strings().withChars("abcXYZ019-_.+ ").withChars(",\"\n\r").withChars("éü€日😀")
                .ofMinLength(0).ofMaxLength(40).injectNull(0.05);
    }

    @Provide
    Arbitrary<List<BatchViews.AgentRow>> pages() {
        Arbitrary<BatchViews.AgentRow> row = Combinators.combine(fields(), fields(), fields(), fields(), fields())
                .as((id, cluster, region, zone, seat) -> new BatchViews.AgentRow(id, cluster, region, zone, null, seat));
        return row.list().ofMaxSize(300);
    }

    @Property(tries = 500)
    void aPageIsTheUtf8OfItsCsvText(@ForAll("pages") List<BatchViews.AgentRow> agents, @ForAll boolean seats) {
        StringBuilder text = new StringBuilder(seats ? "agent_id,cluster,region,time_zone,seat\n"
                : "agent_id,cluster,region,time_zone\n");
        for (BatchViews.AgentRow agent : agents) {
            text.append(BatchController.field(agent.agentId())).append(',').append(BatchController.field(agent.clusterId()))
                    .append(',').append(BatchController.field(agent.region())).append(',')
                    .append(BatchController.field(agent.timeZone()));
            if (seats) {
                text.append(',').append(agent.seat() == null ? "" : agent.seat());
            }
            text.append('\n');
        }

        assertThat(BatchController.csv(agents, seats)).isEqualTo(text.toString().getBytes(StandardCharsets.UTF_8));
    }

    @Example
    void fieldsThatHoldACommaAQuoteOrALineBreakAreQuoted() {
        List<BatchViews.AgentRow> agents = new ArrayList<>();
        agents.add(new BatchViews.AgentRow("agent-1", "cluster-a", "eu, west", "UTC+1", null, "3.7.AbCdEfGh_-123456"));
        agents.add(new BatchViews.AgentRow("agent-\"2\"", "cluster-b", "région\n2", "UTC-11", null, null));

        assertThat(new String(BatchController.csv(agents, true), StandardCharsets.UTF_8)).isEqualTo("""
                agent_id,cluster,region,time_zone,seat
                agent-1,cluster-a,"eu, west",UTC+1,3.7.AbCdEfGh_-123456
                "agent-""2""\",cluster-b,"région
                2",UTC-11,
                """);
        assertThat(new String(BatchController.csv(List.of(), false), StandardCharsets.UTF_8))
                .isEqualTo("agent_id,cluster,region,time_zone\n");
    }
}
