package dev.rollout.clusterbatcher.agentapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

class AckCsvTest {

    static final UUID ROLLOUT = UUID.fromString("123e4567-e89b-12d3-a456-426614174000");

    @Test
    void linesAreReadWhateverTheirBreaksAndABadLineStaysAtItsIndex() {
        String body = AckCsv.HEADER + "\r\n"
                + "agent-1," + ROLLOUT + ",2.4.0,OK,40,100,0\r\n"
                + "\n"
                + "agent-2," + ROLLOUT + ",2.4.0,FAILED,55,80,3\n"
                + "agent-3,not-a-rollout,2.4.0,OK,40,100,0\n"
                + "agent-4," + ROLLOUT + ",2.4.0\n"
                + " agent-5 , " + ROLLOUT + " ,2.4.0,OK,12,1,0\r";
        List<AckIngest.Ack> acks = AckCsv.parse(body, 10);
        assertThat(acks).hasSize(5);
        assertThat(acks.get(0)).isEqualTo(new AckIngest.Ack("agent-1", ROLLOUT, "2.4.0", AckIngest.Status.OK, 40, 100, 0, null));
        assertThat(acks.get(1)).isEqualTo(new AckIngest.Ack("agent-2", ROLLOUT, "2.4.0", AckIngest.Status.FAILED, 55, 80,
                3, null));
        assertThat(AckIngest.malformed(acks.get(2))).isEqualTo("rolloutId is required");
        assertThat(AckIngest.malformed(acks.get(3))).isEqualTo("the line has 3 fields where the header names 7: "
                + AckCsv.HEADER);
        assertThat(acks.get(4)).isEqualTo(new AckIngest.Ack("agent-5", ROLLOUT, "2.4.0", AckIngest.Status.OK, 12, 1, 0, null));
    }

    @Test
    void aLineWithAFieldTooManyOrTooFewIsRejectedForItsFieldCountNotForAMissingAgent() {
        String body = AckCsv.HEADER_WITH_SEATS + "\n"
                + "agent-1," + ROLLOUT + ",2.4.0,OK,40,100,0\n"
                + "agent-2," + ROLLOUT + ",2.4.0,OK,40,100,0,3.17.AAAAAAAAAAAAAAAA,extra\n"
                + "agent-3\n";
        List<AckIngest.Ack> acks = AckCsv.parse(body, 10);
        assertThat(acks).extracting(AckIngest::malformed).containsExactly(
                "the line has 7 fields where the header names 8: " + AckCsv.HEADER_WITH_SEATS,
                "the line has 9 fields where the header names 8: " + AckCsv.HEADER_WITH_SEATS,
                "the line has 1 field where the header names 8: " + AckCsv.HEADER_WITH_SEATS);
    }

    @Test
    void aBodyWithoutItsHeaderOrItemsOrWithTooManyIsRefused() {
        assertThatThrownBy(() -> AckCsv.parse("", 10)).hasMessageContaining("The first line must be the header");
        assertThatThrownBy(() -> AckCsv.parse("agentId,rolloutId\nagent-1,x\n", 10))
                .hasMessageContaining("The first line must be the header");
        assertThatThrownBy(() -> AckCsv.parse(AckCsv.HEADER + "\r\n\r\n", 10))
                .hasMessageContaining("No acknowledgement after the header");
        String line = "agent-1," + ROLLOUT + ",2.4.0,OK,40,100,0\n";
        assertThatThrownBy(() -> AckCsv.parse(AckCsv.HEADER + "\n" + line.repeat(3), 2))
                .hasMessageContaining("At most 2 acknowledgements per call");
    }
}
