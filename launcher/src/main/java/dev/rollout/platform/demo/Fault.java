package dev.rollout.platform.demo;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What the simulated fleet gets wrong, and where: each one a rollback trigger or a gate criterion the plan names. */
public enum Fault {

    /** Nothing: every gate passes. */
    NONE("none", "no fault"),
    /** In batch k the memory component fails 1.5% of its requests (the fleet 0.76%): a partial rollback of memory. */
    ERROR_SPIKE("error-spike", "memory fails 1.5% of its requests"),
    /** In batch k the planner answers 45% slower than the baseline: degradation > 20%, a partial rollback of planner. */
    LATENCY("latency", "planner answers 45% slower than its baseline"),
    /** In batch k no agent of one time zone answers: the gate holds on the zones heard from and the response rate. */
    SILENT_ZONE("silent-zone", "the agents of UTC+5 stay silent"),
    /** The pilots report instability and rate the version 2 of 5: the pilot gate rolls the whole version back. */
    PILOT_FEEDBACK("pilot-feedback", "pilots report instability (ratings of 2)");

    /** The zone that stays silent with {@link #SILENT_ZONE}. */
    public static final String SILENT_TIME_ZONE = "UTC+5";

    private final String option;
    private final String description;

    Fault(String option, String description) {
        this.option = option;
        this.description = description;
    }

    public String option() {
        return option;
    }

    public String description() {
        return description;
    }

    /** The component the fault hits, or null. */
    String component() {
        return this == ERROR_SPIKE ? "memory" : this == LATENCY ? "planner" : null;
    }

    /** The fault named on the command line ({@code --fault error-spike}). */
    public static Fault of(String option) {
        String wanted = option.strip().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(f -> f.option.equals(wanted)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Unknown fault '" + option + "': one of "
                        + Arrays.stream(values()).map(Fault::option).collect(Collectors.joining(", "))));
    }
}
