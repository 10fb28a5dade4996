package dev.rollout.clusterbatcher.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spool gives back every line as it was added, in order, across its blocks, whatever the texts hold. */
class ImportSpoolTest {

    @TempDir
    Path directory;

    @Test
    void everyLineComesBackAsItWasAddedAndTheFileGoesWithTheSpool() throws IOException {
        List<AgentLine> added = new ArrayList<>();
        String longLabels = "note=" + "é".repeat(1_990);
        for (int i = 0; i < 60_000; i++) {
            String labels = switch (i % 5) {
                case 0 -> null;
                case 1 -> "team=core;tier=" + i;
                case 2 -> "owner=José;emoji=\uD83D\uDE80";
                case 3 -> i % 1_000 == 3 ? longLabels : "k=v";
                default -> "";
            };
            added.add(new AgentLine("agent-" + i, "cluster-" + (i % 7), "eu-west-" + (i % 3), (i % 27) - 12, labels));
        }
        List<Long> numbers = new ArrayList<>();
        List<AgentLine> replayed = new ArrayList<>();
        Path file;
        try (ImportSpool spool = new ImportSpool(directory)) {
            for (int i = 0; i < added.size(); i++) {
                spool.add(2L + i * 3L, added.get(i));
            }
            try (var files = Files.list(directory)) {
                file = files.findFirst().orElseThrow();
            }
            spool.replay((lineNo, agent) -> {
                numbers.add(lineNo);
                replayed.add(agent);
            });
        }
        assertThat(replayed).isEqualTo(added);
        assertThat(numbers).hasSize(added.size()).startsWith(2L, 5L, 8L).endsWith(2L + (added.size() - 1) * 3L);
        // more than one block was written
        assertThat(added.size() * 40L).isGreaterThan(1 << 16);
        assertThat(file).doesNotExist();
    }

    @Test
    void anEmptySpoolReplaysNothing() throws IOException {
        List<AgentLine> replayed = new ArrayList<>();
        try (ImportSpool spool = new ImportSpool(directory)) {
            spool.replay((lineNo, agent) -> replayed.add(agent));
        }
        assertThat(replayed).isEmpty();
    }
}
