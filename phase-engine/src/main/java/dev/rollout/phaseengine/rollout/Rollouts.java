package dev.rollout.phaseengine.rollout;

import java.util.UUID;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;

/** All rollouts. */
public interface Rollouts extends JpaRepository<Rollout, UUID> {

    Page<Rollout> findByStatus(RolloutStatus status, Pageable pageable);
}
