package dev.rollout.starter.client;

import java.util.regex.Pattern;

import io.micrometer.common.KeyValue;
import org.springframework.http.client.observation.ClientRequestObservationContext;
import org.springframework.http.client.observation.DefaultClientRequestObservationConvention;

/**
 * The {@code uri} tag of a call between services as a template: a path segment that is an id (a UUID, a
 * number, a long token) becomes {@code {id}} and the query is dropped, so that
 * {@code /api/rollouts/6f1c.../status} and every other rollout's call count under one series
 * ({@code /api/rollouts/{id}/status}) instead of one series a rollout.
 */
final class TemplatedUris extends DefaultClientRequestObservationConvention {

    private static final Pattern ID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|-?\\d+|[A-Za-z0-9_.:-]{24,}");

    @Override
    protected KeyValue uri(ClientRequestObservationContext context) {
        KeyValue given = super.uri(context);
        return KeyValue.of(given.getKey(), template(given.getValue()));
    }

    static String template(String uri) {
        int query = uri.indexOf('?');
        String path = query < 0 ? uri : uri.substring(0, query);
        String[] segments = path.split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            if (!segments[i].startsWith("{") && ID.matcher(segments[i]).matches()) {
                segments[i] = "{id}";
            }
        }
        return String.join("/", segments);
    }
}
