package dev.rollout.starter.web;

import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Request size limits.
 *
 * @param maxRequestSize the largest body accepted on any path not listed in {@code uploadLimits}
 * @param uploadLimits   larger limits for upload paths, by Ant-style path pattern
 */
@ConfigurationProperties("rollout.web")
public record RolloutWebProperties(DataSize maxRequestSize, Map<String, DataSize> uploadLimits) {

    public RolloutWebProperties {
        maxRequestSize = maxRequestSize == null ? DataSize.ofMegabytes(1) : maxRequestSize;
        uploadLimits = uploadLimits == null ? Map.of() : Map.copyOf(uploadLimits);
    }
}
