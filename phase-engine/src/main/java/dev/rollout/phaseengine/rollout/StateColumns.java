package dev.rollout.phaseengine.rollout;

import java.util.List;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** The conditions and the last evaluation of a rollout as JSON in their columns. */
final class StateColumns {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private StateColumns() {
    }

    @Converter
    static class Conditions implements AttributeConverter<List<Condition>, String> {

        @Override
        public String convertToDatabaseColumn(List<Condition> conditions) {
            return conditions == null || conditions.isEmpty() ? null : JSON.writeValueAsString(conditions);
        }

        @Override
        public List<Condition> convertToEntityAttribute(String json) {
            return json == null ? List.of() : JSON.readValue(json, new TypeReference<List<Condition>>() {
            });
        }
    }

    @Converter
    static class Evaluation implements AttributeConverter<EvaluationSummary, String> {

        @Override
        public String convertToDatabaseColumn(EvaluationSummary evaluation) {
            return evaluation == null ? null : JSON.writeValueAsString(evaluation);
        }

        @Override
        public EvaluationSummary convertToEntityAttribute(String json) {
            return json == null ? null : JSON.readValue(json, EvaluationSummary.class);
        }
    }
}
