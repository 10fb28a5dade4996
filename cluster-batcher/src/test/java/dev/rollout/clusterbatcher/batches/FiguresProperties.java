package dev.rollout.clusterbatcher.batches;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** A batch's figures from its tally equal those of the acknowledgements themselves. */
class FiguresProperties {

    @Property
    void percentilesAndMeanFromTheTallyAreThoseOfEveryLatency(
            @ForAll @Size(min = 1, max = 400) List<@IntRange(min = 0, max = 500) Integer> latencies,
            @ForAll @DoubleRange(min = 0, max = 1) double p) {
        // the tally: counts per latency (and a zone per latency), in ascending latency
        Map<Integer, long[]> byLatency = new TreeMap<>();
        for (int latency : latencies) {
            byLatency.computeIfAbsent(latency, l -> new long[] { l, 0, 0, 0, 0, l % 24 - 11 })[1]++;
        }
        Figures figures = Figures.of(new ArrayList<>(byLatency.values()));

        List<Integer> sorted = latencies.stream().sorted().toList();
        double position = p * (sorted.size() - 1);
        int below = (int) Math.floor(position);
        int above = Math.min(sorted.size() - 1, below + 1);
        double expected = sorted.get(below) + (position - below) * (sorted.get(above) - sorted.get(below));
        assertThat(figures.percentile(p)).isCloseTo(expected, within(1e-9));
        assertThat(figures.mean()).isCloseTo(latencies.stream().mapToInt(Integer::intValue).average().orElseThrow(),
                within(1e-9));
        assertThat(figures.acks()).isEqualTo(latencies.size());
        assertThat(figures.zones()).doesNotHaveDuplicates().isSorted();
    }

    @Property
    void noAcknowledgementsNoFigures(@ForAll @DoubleRange(min = 0, max = 1) double p) {
        Figures none = Figures.of(List.of());
        assertThat(none.percentile(p)).isNull();
        assertThat(none.mean()).isNull();
        assertThat(none.zones()).isEmpty();
    }
}
