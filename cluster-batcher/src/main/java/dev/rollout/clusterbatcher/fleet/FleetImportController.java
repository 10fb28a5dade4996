package dev.rollout.clusterbatcher.fleet;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Locale;
import java.util.UUID;
import java.util.zip.GZIPInputStream;

import jakarta.servlet.http.HttpServletRequest;

import dev.rollout.starter.web.ProblemException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Fleet", description = "The registry of clusters and agents, across the 24 hourly time zones")
class FleetImportController {

    private final FleetImports imports;

    FleetImportController(FleetImports imports) {
        this.imports = imports;
    }

    @PostMapping(path = "/api/fleet/imports", consumes = { "text/csv", "application/x-ndjson", "application/jsonl" })
    @PreAuthorize("hasAnyRole('RELEASE_MANAGER','CI_PIPELINE')")
    @Operation(summary = "Import agents from a streamed CSV or NDJSON upload (gzip accepted)",
            description = "Roles: RELEASE_MANAGER, CI_PIPELINE. Idempotent upsert by agent id. Valid lines are imported; "
                    + "each rejected line is reported with its number and reason. CSV header: "
                    + "agent_id,cluster,region,time_zone,labels (labels as key=value;key=value). NDJSON: one "
                    + "{\"agentId\",\"cluster\",\"region\",\"timeZone\",\"labels\":{}} per line. Time zone: IANA id "
                    + "or UTC offset, mapped to one of 24 hourly zones.")
    ResponseEntity<FleetImports.Summary> upload(HttpServletRequest request, Authentication caller) throws IOException {
        String type = request.getContentType() == null ? "" : request.getContentType().toLowerCase(Locale.ROOT);
        FleetLineParser.Format format = type.startsWith("text/csv") ? FleetLineParser.Format.CSV
                : FleetLineParser.Format.NDJSON;
        InputStream body = request.getInputStream();
        String encoding = request.getHeader("Content-Encoding");
        if (encoding != null && encoding.equalsIgnoreCase("gzip")) {
            body = new GZIPInputStream(body, 1 << 16);
        }
        else if (encoding != null && !encoding.equalsIgnoreCase("identity")) {
            throw new ProblemException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Content-Encoding " + encoding
                    + " is not supported; send gzip or plain");
        }
        FleetImports.Summary summary = imports.run(body, format, caller.getName());
        return ResponseEntity.created(URI.create("/api/fleet/imports/" + summary.id())).body(summary);
    }

    @GetMapping("/api/fleet/imports/{id}")
    @PreAuthorize("hasAnyRole('RELEASE_MANAGER','CI_PIPELINE','VIEWER')")
    @Operation(summary = "An import's summary, its progress while it runs, and its rejected lines",
            description = "Roles: RELEASE_MANAGER, CI_PIPELINE, VIEWER")
    FleetImports.Summary find(@PathVariable UUID id) {
        return imports.find(id);
    }
}
