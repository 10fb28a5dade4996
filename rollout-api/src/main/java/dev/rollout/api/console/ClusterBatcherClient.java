package dev.rollout.api.console;

import java.util.UUID;

import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.annotation.HttpExchange;

/** cluster-batcher, as the console reads a rollout's batch grid: with the signed-in person's token. */
@HttpExchange("/api/rollouts/{id}")
interface ClusterBatcherClient {

    String SERVICE = "cluster-batcher";

    /** The plan with every batch and, asked for, each activated batch's health; 404 before the plan is frozen. */
    @GetExchange("/batches")
    Reads.BatchPlan batches(@RequestHeader(HttpHeaders.AUTHORIZATION) String bearer, @PathVariable UUID id,
            @RequestParam("health") boolean health);
}
