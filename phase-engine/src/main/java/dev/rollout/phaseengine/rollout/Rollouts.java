package dev.rollout.phaseengine.rollout;

import java.util.UUID;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;

/** All rollouts. */
public interface Rollouts extends JpaRepository<Rollout, UUID> {

    Page<Rollout> findByStatus(RolloutStatus status, Pageable pageable);

    /** The ids of the rollouts in these states, oldest first. */
    @org.springframework.data.jpa.repository.Query("select r.id from Rollout r where r.status in :statuses order by r.createdAt")
    java.util.List<UUID> findIdsByStatusIn(java.util.Collection<RolloutStatus> statuses);
}
