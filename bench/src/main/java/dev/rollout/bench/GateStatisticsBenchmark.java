package dev.rollout.bench;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import dev.rollout.metricsgate.evaluation.Criteria;
import dev.rollout.metricsgate.evaluation.Kpi;
import dev.rollout.metricsgate.evaluation.Measurement;
import dev.rollout.metricsgate.statistics.Interval;
import dev.rollout.metricsgate.statistics.Statistics;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * The gate's statistics: a Wilson score interval for a rate (error rate, response rate, availability), a normal
 * interval for a mean (satisfaction), and one whole criterion (an error-rate trigger judged on its interval,
 * with its explanation written), each on fresh random figures of a batch of 1,000,000 agents.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class GateStatisticsBenchmark {

    @Benchmark
    public Interval wilsonInterval() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long trials = 100_000_000L + random.nextInt(1_000_000);
        return Statistics.wilson(random.nextLong(trials / 50), trials, 0.95);
    }

    @Benchmark
    public Interval meanInterval() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long count = 44 + random.nextInt(100);
        double sum = count * (3.5 + random.nextDouble());
        return Statistics.mean(count, sum, sum * 4.6, 0.95);
    }

    @Benchmark
    public Measurement errorRateCriterion() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long trials = 100_000_000L + random.nextInt(1_000_000);
        return Criteria.rateAtMost(Kpi.ERROR_RATE_TRIGGER, "pushed samples", "ERRORS / REQUESTS, all components",
                random.nextLong(trials / 50), trials, 0.01, 0.95, 100, List.of());
    }
}
