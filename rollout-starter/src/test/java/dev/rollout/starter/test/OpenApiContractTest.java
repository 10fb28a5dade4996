package dev.rollout.starter.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.annotation.PostExchange;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** What the contract check finds between a consumer's records and a provider's OpenAPI document. */
class OpenApiContractTest {

    static final JsonNode PROVIDER = JsonMapper.builder().build().readTree("""
            {"openapi": "3.1.0",
             "paths": {
               "/api/orders/{id}": {"get": {"parameters": [{"name": "id", "in": "path"}, {"name": "view", "in": "query"}],
                 "responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Order"}}}}}}},
               "/api/orders": {"post": {
                 "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/NewOrder"}}}},
                 "responses": {"201": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Order"}}}}}}}},
             "components": {"schemas": {
               "Order": {"type": "object", "properties": {
                 "id": {"type": "string", "format": "uuid"},
                 "status": {"type": "string", "enum": ["OPEN", "SHIPPED", "CANCELLED"]},
                 "lines": {"type": "array", "items": {"$ref": "#/components/schemas/Line"}},
                 "total": {"type": "number"}}},
               "Line": {"type": "object", "properties": {"sku": {"type": "string"}, "quantity": {"type": "integer"}}},
               "NewOrder": {"type": "object", "required": ["customer", "priority"], "properties": {
                 "customer": {"type": "string"},
                 "priority": {"type": "string", "enum": ["LOW", "HIGH"]}}}}}}
            """);

    enum Status { OPEN, SHIPPED, CANCELLED }

    record Line(String sku, long quantity) {
    }

    record Order(UUID id, Status status, List<Line> lines, double total) {
    }

    record NewOrder(String customer, Priority priority) {
        enum Priority { LOW, HIGH }
    }

    interface Orders {
        @GetExchange("/api/orders/{id}")
        Order order(@PathVariable UUID id, @RequestParam("view") String view);

        @PostExchange("/api/orders")
        Order place(@RequestBody NewOrder order);
    }

    @Test
    void aConsumerInStepWithItsProviderHasNoMismatch() {
        assertThat(OpenApiContract.mismatches(Orders.class, "orders", PROVIDER)).isEmpty();
    }

    // a consumer that reads a field its provider renamed (sku -> code), knows one status less, sends a field the
    // provider does not take, leaves out one it requires, sends a value it refuses, asks with an unknown parameter,
    // reads a number as a string, and calls an operation that does not exist

    enum FewerStatuses { OPEN, SHIPPED }

    record OldLine(String code, long quantity) {
    }

    record OldOrder(UUID id, FewerStatuses status, List<OldLine> lines, String total) {
    }

    record OldNewOrder(String customer, String note, OldPriority priority) {
        enum OldPriority { LOW, HIGH, URGENT }
    }

    record Bare(String customer) {
    }

    interface Drifted {
        @GetExchange("/api/orders/{orderId}")
        OldOrder order(@PathVariable UUID orderId, @RequestParam("format") String format);

        @PostExchange("/api/orders")
        Order place(@RequestBody OldNewOrder order);

        @PostExchange("/api/orders")
        Order placeBare(@RequestBody Bare order);

        @GetExchange("/api/invoices/{id}")
        Order invoice(@PathVariable UUID id);
    }

    @Test
    void everyWayAConsumerDriftsFromItsProviderIsNamed() {
        assertThat(OpenApiContract.mismatches(Drifted.class, "orders", PROVIDER)).containsExactly(
                "Drifted.invoice (GET /api/invoices/{id}): orders has no such operation",
                "Drifted.order (GET /api/orders/{orderId}): orders takes no query parameter 'format' (it takes [view])",
                "Drifted.order (GET /api/orders/{orderId}) reads .status: orders may answer CANCELLED, which FewerStatuses"
                        + " does not know (it knows [OPEN, SHIPPED])",
                "Drifted.order (GET /api/orders/{orderId}) reads .lines[] .code (OldLine): orders answers with no such"
                        + " field (it answers with [quantity, sku])",
                "Drifted.order (GET /api/orders/{orderId}) reads .total: orders has [number] where String needs string",
                "Drifted.place (POST /api/orders) sends .note (OldNewOrder): orders takes no such field and refuses"
                        + " unknown ones (it takes [customer, priority])",
                "Drifted.place (POST /api/orders) sends .priority: OldPriority.URGENT is not a value orders takes (it"
                        + " takes [HIGH, LOW])",
                "Drifted.placeBare (POST /api/orders) sends (Bare): orders requires .priority, which is not sent");
    }
}
