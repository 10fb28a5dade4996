package dev.rollout.pilotservice.roster;

import org.springframework.data.jpa.repository.JpaRepository;

/** The roster. */
public interface Pilots extends JpaRepository<Pilot, String> {
}
