package dev.rollout.phaseengine.rollout;

import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import dev.rollout.phaseengine.rollout.RolloutRequests.CreateRollout;
import dev.rollout.starter.web.ProblemException;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Creates and reads rollouts. */
@Service
public class RolloutService {

    private final Rollouts rollouts;
    private final Clock clock;
    private final PreviousAttempts previousAttempts;

    RolloutService(Rollouts rollouts, Clock clock, PreviousAttempts previousAttempts) {
        this.rollouts = rollouts;
        this.clock = clock;
        this.previousAttempts = previousAttempts;
    }

    @Transactional
    public Rollout create(CreateRollout request, String actor) {
        Set<String> seen = new HashSet<>();
        for (RolloutRequests.ComponentSpec component : request.components()) {
            if (!seen.add(component.name())) {
                throw ProblemException.badRequest("components: '" + component.name() + "' is listed more than once");
            }
        }
        if (request.targetVersion().equals(request.previousStableVersion())) {
            throw ProblemException.unprocessable("targetVersion " + request.targetVersion()
                    + " is the previous stable version; a rollout needs a new version");
        }
        List<Component> components = request.components().stream()
                .map(c -> new Component(c.name(), c.version())).toList();
        RolloutPlan plan = RolloutPlan.of(request.plan());
        if (request.previousAttempt() != null) {
            Rollout previous = rollouts.findById(request.previousAttempt()).orElseThrow(() -> ProblemException.unprocessable(
                    "previousAttempt " + request.previousAttempt() + " is not a rollout"));
            plan = previousAttempts.withSafeguards(plan, previous);
        }
        return rollouts.save(Rollout.draft(request.name().strip(), request.targetVersion(),
                request.previousStableVersion(), components, plan, actor, clock.instant()));
    }

    @Transactional(readOnly = true)
    public Rollout find(UUID id) {
        return rollouts.findById(id).orElseThrow(() -> ProblemException.notFound("Rollout", id));
    }

    @Transactional(readOnly = true)
    public Page<Rollout> list(RolloutStatus status, Pageable pageable) {
        return status == null ? rollouts.findAll(pageable) : rollouts.findByStatus(status, pageable);
    }
}
