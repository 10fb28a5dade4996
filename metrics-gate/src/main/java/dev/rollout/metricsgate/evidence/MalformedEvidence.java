package dev.rollout.metricsgate.evidence;

/** A file that is not what its type says, with where it broke. */
public class MalformedEvidence extends RuntimeException {

    public MalformedEvidence(String file, String where, String problem) {
        super(file + (where == null || where.isEmpty() ? "" : " (" + where + ")") + ": " + problem);
    }
}
