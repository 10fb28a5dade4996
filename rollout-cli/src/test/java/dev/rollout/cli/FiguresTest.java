package dev.rollout.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class FiguresTest {

    @Test
    void figuresAsPeopleReadThem() {
        assertThat(Figures.percent(0.6842105263157895)).isEqualTo("68.4%");
        assertThat(Figures.percent(8.340283569641367E-6)).isEqualTo("0.000834%");
        assertThat(Figures.percent(0.00001)).isEqualTo("0.001%");
        assertThat(Figures.percent(0.9995)).as("not rounded up to 100%").isEqualTo("99.95%");
        assertThat(Figures.percent(1)).isEqualTo("100%");
        assertThat(Figures.number(1_000_000)).isEqualTo("1,000,000");
        assertThat(Figures.number(4.75)).isEqualTo("4.75");
        assertThat(Figures.number(0.1234567)).isEqualTo("0.1235");
        assertThat(Figures.time("2026-12-06T00:27:45.520807Z")).isEqualTo("2026-12-06 00:27 UTC");
        assertThat(Figures.duration(Duration.ofMinutes(151))).isEqualTo("2 h 31 min");
        assertThat(Figures.duration("PT2H")).isEqualTo("2 h");
        assertThat(Figures.duration("P60D")).isEqualTo("60 d");
        assertThat(Figures.duration(Duration.ofSeconds(45))).isEqualTo("45 s");
        assertThat(Figures.bar(5, 20, 10)).isEqualTo("[###-------]");
    }
}
