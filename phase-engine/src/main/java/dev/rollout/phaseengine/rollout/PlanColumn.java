package dev.rollout.phaseengine.rollout;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

import tools.jackson.databind.json.JsonMapper;

/** The plan as JSON in its column. */
@Converter
class PlanColumn implements AttributeConverter<RolloutPlan, String> {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Override
    public String convertToDatabaseColumn(RolloutPlan plan) {
        return plan == null ? null : JSON.writeValueAsString(plan);
    }

    @Override
    public RolloutPlan convertToEntityAttribute(String json) {
        return json == null ? null : JSON.readValue(json, RolloutPlan.class);
    }
}
