package dev.rollout.platform.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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

    @Test
    void acknowledgementsGoStratumByStratumEachCallUnderTheGatewaysOfItsClusters() {
        List<FleetSimulator.Agent> listed = new ArrayList<>();
        for (int i = 0; i < 30_000; i++) { // listed by rank across the strata, as a batch is
            listed.add(new FleetSimulator.Agent("agent-" + i, "cluster-" + (i % 12), (i % 5 == 0 ? "UTC-3" : "UTC+2"),
                    "seat-" + i));
        }
        List<FleetSimulator.Agent> grouped = FleetSimulator.byStratum(listed);

        assertThat(grouped).containsExactlyInAnyOrderElementsOf(listed);
        List<String> strata = new ArrayList<>();
        for (FleetSimulator.Agent agent : grouped) {
            String stratum = agent.cluster() + " " + agent.timeZone();
            if (strata.isEmpty() || !strata.get(strata.size() - 1).equals(stratum)) {
                strata.add(stratum);
            }
        }
        assertThat(strata).hasSize(24).doesNotHaveDuplicates().isSortedAccordingTo(
                (a, b) -> a.split(" ")[0].equals(b.split(" ")[0]) ? a.split(" ")[1].compareTo(b.split(" ")[1])
                        : a.split(" ")[0].compareTo(b.split(" ")[0]));
        for (int from = 0; from < grouped.size(); from += 10_000) {
            List<FleetSimulator.Agent> call = grouped.subList(from, from + 10_000);
            TreeSet<String> clusters = new TreeSet<>();
            call.forEach(agent -> clusters.add(agent.cluster()));
            assertThat(FleetSimulator.gateway(call)).isEqualTo("dev-gateway-" + String.join("+", clusters));
        }
        // agents in no order at all: each cluster still named once, in order
        assertThat(FleetSimulator.gateway(listed.subList(0, 25))).isEqualTo("dev-gateway-" + String.join("+",
                new TreeSet<>(listed.subList(0, 25).stream().map(FleetSimulator.Agent::cluster).toList())));
    }

    @Test
    void aListedPageGivesEveryAgentWithItsSeatAndEachClusterAndZoneAsOneString() {
        StringBuilder text = new StringBuilder("agent_id,cluster,region,time_zone,seat\n");
        List<FleetSimulator.Agent> expected = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            String zone = i % 24 - 11 < 0 ? "UTC" + (i % 24 - 11) : "UTC+" + (i % 24 - 11);
            FleetSimulator.Agent agent = new FleetSimulator.Agent("agent-" + i, "cluster-" + (i % 10), zone,
                    (i % 240) + "." + i + ".AbCdEfGh_-123456");
            expected.add(agent);
            text.append(agent.id()).append(',').append(agent.cluster()).append(",region-").append(i % 3).append(',')
                    .append(zone).append(',').append(agent.seat());
            if (i < 4_999) {
                text.append('\n'); // the last line without one
            }
        }
        List<FleetSimulator.Agent> page = FleetSimulator.page(text.toString());

        assertThat(page).containsExactlyElementsOf(expected);
        for (FleetSimulator.Agent agent : page) {
            assertThat(agent.cluster()).isSameAs(page.get(Integer.parseInt(agent.cluster().substring(8))).cluster());
        }
        assertThat(page.stream().map(FleetSimulator.Agent::timeZone).distinct().count()).isEqualTo(24);
        assertThat(page.get(24).timeZone()).isSameAs(page.get(0).timeZone());
        assertThat(FleetSimulator.page("agent_id,cluster,region,time_zone,seat\n")).isEmpty();
    }

    @Test
    void anAcknowledgementCallSaysOfEachAgentWhatItsIdDrawsAsTheCsvWouldSpellIt() {
        UUID rollout = UUID.fromString("0b7c4c7e-58a1-4d3c-9d0e-5a0c1f6e2b11");
        List<FleetSimulator.Agent> part = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) { // more than the first guess of room holds, for long seats
            part.add(new FleetSimulator.Agent("agent-" + (i * 7919L), "cluster-" + (i % 3), "UTC+1",
                    (i % 240) + "." + i + ".AbCdEfGh_-123456" + "x".repeat(i % 97)));
        }
        double errorRate = 0.02;
        StringBuilder expected = new StringBuilder("agentId,rolloutId,version,status,latencyMs,requests,errors,seat\n");
        int errors = 0;
        for (FleetSimulator.Agent agent : part) {
            int hash = agent.id().hashCode();
            boolean failed = Math.abs(hash / 7) % 10_000 < 200;
            errors += failed ? 1 : 0;
            expected.append(String.format("%s,%s,2.4.0,OK,%d,%d,%d,%s%n", agent.id(), rollout, 35 + Math.abs(hash) % 30,
                    2 * FleetSimulator.REQUESTS_PER_AGENT, failed ? 1 : 0, agent.seat()).replace("\r\n", "\n"));
        }

        byte[] csv = FleetSimulator.ackCsv(part, rollout, "2.4.0", errorRate);

        assertThat(new String(csv, StandardCharsets.US_ASCII)).isEqualTo(expected.toString());
        assertThat(errors).isBetween(250, 550); // about 2% of 20,000 drawn from the ids
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
