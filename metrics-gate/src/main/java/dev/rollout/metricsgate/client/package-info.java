/**
 * What metrics-gate reads from the other services: one {@code @HttpExchange} interface per service, with records of
 * metrics-gate's own holding only what the gate measures (no type is shared between services; the contract tests
 * check these against each provider's OpenAPI document). Called through {@code ServiceClients.contract}, which gives
 * every call its circuit breaker and retry.
 */
package dev.rollout.metricsgate.client;
