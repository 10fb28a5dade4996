package dev.rollout.starter.openapi;

import java.util.List;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Each service's OpenAPI document: bearer authentication, and a relative server so that "Try it out"
 * in the edge's Swagger UI goes through the edge.
 */
@AutoConfiguration
@ConditionalOnClass(OpenAPI.class)
public class OpenApiAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    OpenAPI rolloutOpenApi(@Value("${spring.application.name:rollout}") String name,
            @Value("${rollout.openapi.description:}") String description) {
        return new OpenAPI()
                .info(new Info().title(name).version("v1").description(description))
                .servers(List.of(new Server().url("/").description("the rollout-api edge")))
                .components(new Components().addSecuritySchemes("bearer",
                        new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                                .description("A JWT, or in the standalone mode a development token such as dev-release-manager")))
                .addSecurityItem(new SecurityRequirement().addList("bearer"));
    }
}
