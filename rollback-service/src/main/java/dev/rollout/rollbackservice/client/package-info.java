/**
 * What rollback-service sends to and reads from the other services: one {@code @HttpExchange} interface per service,
 * with records of rollback-service's own (no type is shared between services; the contract tests check these against
 * each provider's OpenAPI document). Called through {@code ServiceClients.contract}, which gives every call its circuit
 * breaker and retry.
 */
package dev.rollout.rollbackservice.client;
