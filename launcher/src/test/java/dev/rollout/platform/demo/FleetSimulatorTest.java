package dev.rollout.platform.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import java.util.UUID;

import org.junit.jupiter.api.Test;

/** The simulated fleet's own files: the registration it uploads and the acknowledgement calls its gateways make. */
class FleetSimulatorTest {

    @Test
    void theRegistrationNamesEveryAgentAsItsFormatWouldAcrossItsParts() throws IOException {
        int clusters = 7;
        FleetSimulator fleet = new FleetSimulator(null, null, 0, clusters, 1.0, 0.0);
        String text;
        try (InputStream csv = fleet.csv(999_990, 1_120_000)) { // across two parts of 50,000 lines and a partial one
            text = new String(csv.readAllBytes(), StandardCharsets.UTF_8);
        }
        String[] lines = text.split("\n");
        assertThat(lines[0]).isEqualTo("agent_id,cluster,region,time_zone");
        assertThat(lines).hasSize(1 + 1_120_000 - 999_990);
        for (int i = 999_990; i < 1_120_000; i++) {
            int zone = (i / clusters) % 24 - 11;
            assertThat(lines[1 + i - 999_990]).isEqualTo(String.format("agent-%09d,cluster-%d,region-%d,UTC%s", i,
                    i % clusters, i % 3, zone < 0 ? zone : "+" + zone));
        }
        assertThat(FleetSimulator.appendId(new StringBuilder(), 0)).hasToString("agent-000000000");
        assertThat(FleetSimulator.appendId(new StringBuilder(), 1_234_567_890)).hasToString("agent-1234567890");
    }

    /** One agent of a listing, as the test writes it. */
    record Listed(String id, String cluster, String timeZone, String seat) {
    }

    /** The listing's pages of these agents (CSV as cluster-batcher writes it), {@code perPage} lines each. */
    static List<byte[]> pages(List<Listed> agents, int perPage, boolean lastLineBreak) {
        List<byte[]> pages = new ArrayList<>();
        for (int from = 0; from < agents.size(); from += perPage) {
            StringBuilder text = new StringBuilder("agent_id,cluster,region,time_zone,seat\n");
            List<Listed> page = agents.subList(from, Math.min(agents.size(), from + perPage));
            for (int i = 0; i < page.size(); i++) {
                Listed agent = page.get(i);
                text.append(agent.id()).append(',').append(agent.cluster()).append(",region-").append(i % 3).append(',')
                        .append(agent.timeZone()).append(',').append(agent.seat());
                if (lastLineBreak || i < page.size() - 1) {
                    text.append('\n');
                }
            }
            pages.add(text.toString().getBytes(StandardCharsets.US_ASCII));
        }
        return pages;
    }

    static List<Listed> agents(int n, int clusters) {
        List<Listed> agents = new ArrayList<>();
        for (int i = 0; i < n; i++) { // listed by rank across the strata, as a batch is
            agents.add(new Listed("agent-" + i, "cluster-" + (i % clusters), i % 5 == 0 ? "UTC-3" : "UTC+2",
                    (i % 240) + "." + i + ".AbCdEfGh_-123456"));
        }
        return agents;
    }

    /** The agents of a listed batch, stratum after stratum, as read back. */
    static List<Listed> read(ListedBatch batch) {
        List<Listed> read = new ArrayList<>();
        for (ListedBatch.Stratum stratum : batch.strata()) {
            for (int k = 0; k < stratum.size(); k++) {
                assertThat(stratum.hash(k)).isEqualTo(stratum.id(k).hashCode());
                read.add(new Listed(stratum.id(k), stratum.cluster, stratum.timeZone, stratum.seat(k)));
            }
        }
        return read;
    }

    @Test
    void aListingReadPageByPageGivesEveryAgentWithItsSeatStratumByStratum() {
        List<Listed> listed = agents(25_000, 12);
        List<ListedBatch> pages = new ArrayList<>();
        for (byte[] page : pages(listed, 10_000, false)) { // the last line of each page without its line break
            pages.add(ListedBatch.page(page));
        }
        ListedBatch batch = ListedBatch.join(pages);

        List<Listed> expected = new ArrayList<>(listed);
        expected.sort(Comparator.comparing(Listed::cluster).thenComparing(Listed::timeZone)); // stable: as listed
        assertThat(batch.size()).isEqualTo(25_000);
        assertThat(read(batch)).containsExactlyElementsOf(expected);
        assertThat(batch.strata()).hasSize(24);
        assertThat(read(batch.inZone("UTC-3"))).containsExactlyElementsOf(
                expected.stream().filter(agent -> agent.timeZone().equals("UTC-3")).toList());
        assertThat(ListedBatch.page("agent_id,cluster,region,time_zone,seat\n".getBytes(StandardCharsets.US_ASCII))
                .isEmpty()).isTrue();
    }

    @Test
    void acknowledgementsGoStratumByStratumEachCallUnderTheGatewaysOfItsClusters() {
        List<Listed> listed = agents(30_000, 12);
        ListedBatch batch = ListedBatch.join(List.of(ListedBatch.page(pages(listed, 30_000, true).get(0))));
        ListedBatch silent = ListedBatch.empty();

        // a tenth stays silent, drawn from the ids
        List<List<FleetSimulator.Run>> calls = FleetSimulator.calls(batch, (stratum, k) -> Math.abs(stratum.hash(k)) % 10 != 0,
                silent);

        List<Listed> answering = new ArrayList<>();
        for (List<FleetSimulator.Run> call : calls) {
            TreeSet<String> clusters = new TreeSet<>();
            int size = 0;
            for (FleetSimulator.Run run : call) {
                clusters.add(run.stratum().cluster);
                for (int i = run.from(); i < run.to(); i++) {
                    int k = run.picked()[i];
                    answering.add(new Listed(run.stratum().id(k), run.stratum().cluster, run.stratum().timeZone,
                            run.stratum().seat(k)));
                }
                size += run.to() - run.from();
            }
            assertThat(size).isLessThanOrEqualTo(10_000);
            assertThat(FleetSimulator.gateway(call.stream().map(run -> run.stratum().cluster).toList()))
                    .isEqualTo("dev-gateway-" + String.join("+", clusters));
        }
        List<Listed> expected = new ArrayList<>(listed);
        expected.sort(Comparator.comparing(Listed::cluster).thenComparing(Listed::timeZone));
        assertThat(answering).containsExactlyElementsOf(
                expected.stream().filter(agent -> Math.abs(agent.id().hashCode()) % 10 != 0).toList());
        assertThat(calls.subList(0, calls.size() - 1)).allSatisfy(
                call -> assertThat(call.stream().mapToInt(run -> run.to() - run.from()).sum()).isEqualTo(10_000));
        assertThat(read(silent.sort())).containsExactlyElementsOf(
                expected.stream().filter(agent -> Math.abs(agent.id().hashCode()) % 10 == 0).toList());
        assertThat(silent.size()).isBetween(2_500, 3_500);
    }

    @Test
    void anAcknowledgementCallSaysOfEachAgentWhatItsIdDrawsAsTheCsvWouldSpellIt() {
        UUID rollout = UUID.fromString("0b7c4c7e-58a1-4d3c-9d0e-5a0c1f6e2b11");
        List<Listed> listed = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) { // more than the first guess of room holds, for long seats
            listed.add(new Listed("agent-" + (i * 7919L), "cluster-" + (i % 3), "UTC+1",
                    (i % 240) + "." + i + ".AbCdEfGh_-123456" + "x".repeat(i % 97)));
        }
        ListedBatch batch = ListedBatch.join(List.of(ListedBatch.page(pages(listed, 20_000, true).get(0))));
        List<List<FleetSimulator.Run>> calls = FleetSimulator.calls(batch, (stratum, k) -> true, ListedBatch.empty());
        double errorRate = 0.02;

        for (List<FleetSimulator.Run> call : calls) {
            StringBuilder expected = new StringBuilder("agentId,rolloutId,version,status,latencyMs,requests,errors,seat\n");
            for (FleetSimulator.Run run : call) {
                for (int i = run.from(); i < run.to(); i++) {
                    String id = run.stratum().id(run.picked()[i]);
                    int hash = id.hashCode();
                    expected.append(String.format("%s,%s,2.4.0,OK,%d,%d,%d,%s%n", id, rollout, 35 + Math.abs(hash) % 30,
                            2 * FleetSimulator.REQUESTS_PER_AGENT, Math.abs(hash / 7) % 10_000 < 200 ? 1 : 0,
                            run.stratum().seat(run.picked()[i])).replace("\r\n", "\n"));
                }
            }
            assertThat(new String(FleetSimulator.ackCsv(call, rollout, "2.4.0", errorRate), StandardCharsets.US_ASCII))
                    .isEqualTo(expected.toString());
        }
        assertThat(calls).hasSize(2);
        assertThat(FleetSimulator.ackCsv(List.of(), rollout, "2.4.0", errorRate)).asString(StandardCharsets.US_ASCII)
                .isEqualTo(FleetSimulator.ACK_HEADER);
    }

    @Test
    void numbersAreWrittenInDecimalWhateverTheirLength() {
        FleetSimulator.Ascii ascii = new FleetSimulator.Ascii(0);
        for (int value : new int[] { 0, 7, 10, 99, 100, 12_345, Integer.MAX_VALUE }) {
            ascii.number(value).character(' ');
        }
        assertThat(ascii.toBytes()).asString(StandardCharsets.US_ASCII).isEqualTo("0 7 10 99 100 12345 2147483647 ");
    }
}
