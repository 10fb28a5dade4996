package dev.rollout.clusterbatcher.batches;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

import dev.rollout.clusterbatcher.plan.SeatTokens;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * A page of a batch as CSV, written from each field's UTF-8 bytes, is the UTF-8 of the RFC 4180 text: every field as
 * it is, or quoted with its quotes doubled where it holds a comma, a quote or a line break; the seat, when asked for,
 * a fifth column, the token the plan signs for the agent.
 */
class AgentCsvProperties {

    record Row(String id, String cluster, String region, String zone, int stratum, long rank) {
    }

    @Provide
    Arbitrary<String> fields() {
        // mostly plain ASCII, with what must be quoted and characters of two, three and four bytes in UTF-8
        return Arbitraries.strings().withChars("abcXYZ019-_.+ ").withChars(",\"\n\r").withChars("éü€日😀")
                .ofMinLength(0).ofMaxLength(40);
    }

    @Provide
    Arbitrary<List<Row>> pages() {
        Arbitrary<Row> row = Combinators.combine(fields(), fields(), fields(), fields(),
                Arbitraries.integers().between(0, 1_000), Arbitraries.longs().between(0, Long.MAX_VALUE)).as(Row::new);
        return row.list().ofMaxSize(300);
    }

    /** The field as RFC 4180 text: as it is, or quoted with its quotes doubled. */
    static String text(String field) {
        return field.contains(",") || field.contains("\"") || field.contains("\n") || field.contains("\r")
                ? '"' + field.replace("\"", "\"\"") + '"' : field;
    }

    static byte[] write(List<Row> rows, SeatTokens plan) {
        SeatTokens.Signer signer = plan == null ? null : plan.signer();
        // room for a page of none: it grows as it must
        AgentCsv csv = new AgentCsv(plan != null, 0);
        for (Row row : rows) {
            byte[] id = AgentCsv.utf8(row.id());
            csv.field(id).comma().field(AgentCsv.utf8(row.cluster())).comma().field(AgentCsv.utf8(row.region())).comma()
                    .field(AgentCsv.utf8(row.zone()));
            if (signer != null) {
                csv.comma().seat(signer, id, row.stratum(), row.rank());
            }
            csv.lineBreak();
        }
        return csv.toBytes();
    }

    @Property(tries = 500)
    void aPageIsTheUtf8OfItsCsvText(@ForAll("pages") List<Row> rows, @ForAll boolean seats) {
        SeatTokens plan = seats ? new SeatTokens(UUID.randomUUID(), SeatTokens.newKey()) : null;
        StringBuilder text = new StringBuilder(seats ? "agent_id,cluster,region,time_zone,seat\n"
                : "agent_id,cluster,region,time_zone\n");
        for (Row row : rows) {
            text.append(text(row.id())).append(',').append(text(row.cluster())).append(',').append(text(row.region()))
                    .append(',').append(text(row.zone()));
            if (seats) {
                text.append(',').append(plan.sign(row.id(), row.stratum(), row.rank()));
            }
            text.append('\n');
        }

        assertThat(write(rows, plan)).isEqualTo(text.toString().getBytes(StandardCharsets.UTF_8));
    }

    @Example
    void fieldsThatHoldACommaAQuoteOrALineBreakAreQuoted() {
        List<Row> rows = List.of(new Row("agent-1", "cluster-a", "eu, west", "UTC+1", 3, 7),
                new Row("agent-\"2\"", "cluster-b", "région\n2", "UTC-11", 0, 12));

        assertThat(new String(write(rows, null), StandardCharsets.UTF_8)).isEqualTo("""
                agent_id,cluster,region,time_zone
                agent-1,cluster-a,"eu, west",UTC+1
                "agent-""2""\",cluster-b,"région
                2",UTC-11
                """);
        SeatTokens plan = new SeatTokens(UUID.randomUUID(), SeatTokens.newKey());
        assertThat(new String(write(rows, plan), StandardCharsets.UTF_8).lines().skip(1).map(line -> line.substring(
                line.lastIndexOf(',') + 1)).toList()).startsWith(plan.sign("agent-1", 3, 7));
        assertThat(new String(write(List.of(), null), StandardCharsets.UTF_8))
                .isEqualTo("agent_id,cluster,region,time_zone\n");
    }
}
