package dev.rollout.starter.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Calls between services count under one series per route, never one per rollout. */
class TemplatedUrisTest {

    @Test
    void idsInThePathBecomeATemplateAndTheQueryIsDropped() {
        assertThat(TemplatedUris.template("/api/rollouts/6f1c2a9e-0b7d-4c1e-9f3a-2d5e8b7c1a40/batches/7/activation"))
                .isEqualTo("/api/rollouts/{id}/batches/{id}/activation");
        assertThat(TemplatedUris.template("/api/rollouts/6f1c2a9e-0b7d-4c1e-9f3a-2d5e8b7c1a40/evaluations?since=2026-12-01"))
                .isEqualTo("/api/rollouts/{id}/evaluations");
        assertThat(TemplatedUris.template("/agent/v1/acks")).isEqualTo("/agent/v1/acks");
        assertThat(TemplatedUris.template("/api/rollouts/{rolloutId}/status")).isEqualTo("/api/rollouts/{rolloutId}/status");
    }
}
