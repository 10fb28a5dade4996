package dev.rollout.rollbackservice.rollback;

import java.util.List;
import java.util.UUID;

import org.springframework.data.jpa.repository.JpaRepository;

/** All rollbacks. */
public interface Rollbacks extends JpaRepository<Rollback, UUID> {

    List<Rollback> findByRolloutIdOrderByRequestedAtDesc(UUID rolloutId);
}
