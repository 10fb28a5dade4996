package dev.rollout.clusterbatcher.batches;

import io.swagger.v3.oas.models.media.StringSchema;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A CSV answer is text, whatever type writes it: a page of a batch is written as its UTF-8 bytes, and a byte array
 * would otherwise be described as a Base64 string ({@code format: byte}), which a client would decode.
 */
@Configuration(proxyBeanMethods = false)
class CsvAnswersDocumented {

    @Bean
    OpenApiCustomizer csvAnswersAreText() {
        return api -> api.getPaths().values().forEach(path -> path.readOperations().forEach(operation -> {
            if (operation.getResponses() != null) {
                operation.getResponses().values().forEach(response -> {
                    if (response.getContent() != null && response.getContent().containsKey("text/csv")) {
                        response.getContent().get("text/csv").setSchema(new StringSchema());
                    }
                });
            }
        }));
    }
}
