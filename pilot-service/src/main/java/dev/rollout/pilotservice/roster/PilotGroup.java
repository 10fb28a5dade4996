package dev.rollout.pilotservice.roster;

/** The two pilot groups of Phase 2: the Elite 11 (strategic oversight) and the Mastery 33 (RIX pilots). */
public enum PilotGroup {
    ELITE_11, MASTERY_33
}
