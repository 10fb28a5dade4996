package dev.rollout.phaseengine.rollout;

import java.util.Collection;
import java.util.List;
import java.util.UUID;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

/** All rollouts. */
public interface Rollouts extends JpaRepository<Rollout, UUID> {

    Page<Rollout> findByStatus(RolloutStatus status, Pageable pageable);

    /** The ids of the rollouts in these states, oldest first. */
    @Query("select r.id from Rollout r where r.status in :statuses order by r.createdAt")
    List<UUID> findIdsByStatusIn(Collection<RolloutStatus> statuses);
}
