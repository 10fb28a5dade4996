package dev.rollout.metricsgate.evidence;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The kinds of CI evidence, by the name a CI job uses for them (multipart part name or {@code ?type=}). */
public enum EvidenceType {
    JUNIT("junit"), JACOCO("jacoco"), COBERTURA("cobertura"), SARIF("sarif"), JMH("jmh"), JMH_BASELINE("jmh-baseline"),
    JMH_BUDGET("jmh-budget");

    private final String key;

    EvidenceType(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }

    public static Optional<EvidenceType> of(String key) {
        return Arrays.stream(values()).filter(t -> t.key.equals(key == null ? null : key.toLowerCase(Locale.ROOT)))
                .findFirst();
    }
}
