package dev.rollout.clusterbatcher.fleet;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.zip.ZipException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import dev.rollout.starter.web.ProblemException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Validated
@Tag(name = "Fleet", description = "The registry of clusters and agents, across the 24 hourly time zones")
class FleetImportController {

    private final FleetImports imports;

    FleetImportController(FleetImports imports) {
        this.imports = imports;
    }

    private static final String DESCRIPTION = "Idempotent upsert by agent id. While the body arrives each line is checked "
            + "and kept on the service's disk; once it is all in, the import waits its turn and merges (a second upload "
            + "meanwhile waits, or after rollout.fleet.import-lock-wait is answered 409 with Retry-After). A large upload "
            + "(rollout.fleet.merge-while-receiving-from lines) that finds the fleet free merges while it arrives, and "
            + "gives way to anyone who waits for the fleet. "
            + "Valid lines are imported; each rejected line is reported with its number and reason. CSV header: "
            + "agent_id,cluster,region,time_zone,labels (labels as key=value;key=value). NDJSON: one "
            + "{\"agentId\",\"cluster\",\"region\",\"timeZone\",\"labels\":{}} per line. Time zone: IANA id "
            + "or UTC offset, mapped to one of 24 hourly zones. Lines longer than 16 KiB are rejected. gzip accepted.";

    @PostMapping(path = "/api/fleet/imports", consumes = { "text/csv", "application/x-ndjson", "application/jsonl" })
    @PreAuthorize("hasAnyRole('RELEASE_MANAGER','CI_PIPELINE')")
    @Operation(summary = "Import agents from a streamed CSV or NDJSON upload",
            description = "Roles: RELEASE_MANAGER, CI_PIPELINE. " + DESCRIPTION + " To follow a large upload while it "
                    + "runs, choose its id and use PUT /api/fleet/imports/{id}.")
    ResponseEntity<FleetImports.Summary> upload(HttpServletRequest request, Authentication caller) throws IOException {
        FleetImports.Summary summary = imports.run(UUID.randomUUID(), body(request), format(request), caller.getName())
                .summary();
        return ResponseEntity.created(URI.create("/api/fleet/imports/" + summary.id())).body(summary);
    }

    @PutMapping(path = "/api/fleet/imports/{id}", consumes = { "text/csv", "application/x-ndjson", "application/jsonl" })
    @PreAuthorize("hasAnyRole('RELEASE_MANAGER','CI_PIPELINE')")
    @Operation(summary = "Import agents under an id the client chose, to follow the import with GET while it runs",
            description = "Roles: RELEASE_MANAGER, CI_PIPELINE. " + DESCRIPTION + " 201 when the import ran; 200 with "
                    + "the earlier summary when this id completed before (a retry; the body is not read); 409 while an "
                    + "import with this id runs; a failed import runs again under its id.")
    ResponseEntity<FleetImports.Summary> put(@PathVariable UUID id, HttpServletRequest request, Authentication caller)
            throws IOException {
        FleetImports.Outcome outcome = imports.run(id, body(request), format(request), caller.getName());
        return outcome.created()
                ? ResponseEntity.created(URI.create("/api/fleet/imports/" + id)).body(outcome.summary())
                : ResponseEntity.ok(outcome.summary());
    }

    @GetMapping("/api/fleet/imports")
    @PreAuthorize("hasAnyRole('RELEASE_MANAGER','CI_PIPELINE','VIEWER')")
    @Operation(summary = "The latest imports, newest first, with their progress (running ones included)",
            description = "Roles: RELEASE_MANAGER, CI_PIPELINE, VIEWER. Statuses: RECEIVING (the body is arriving), "
                    + "QUEUED (waiting for the fleet), MERGING, INDEXING (a first registration: the agents are in, "
                    + "their stratum index is built), COMPLETED, FAILED. Rejected lines: GET /api/fleet/imports/{id}.")
    List<FleetImports.Summary> latest(@RequestParam(defaultValue = "20") @Min(1) @Max(200) int limit) {
        return imports.latest(limit);
    }

    @GetMapping("/api/fleet/imports/{id}")
    @PreAuthorize("hasAnyRole('RELEASE_MANAGER','CI_PIPELINE','VIEWER')")
    @Operation(summary = "An import's summary, its progress while it runs, and its rejected lines",
            description = "Roles: RELEASE_MANAGER, CI_PIPELINE, VIEWER. While it runs: lines received, merged and "
                    + "rejected so far.")
    FleetImports.Summary find(@PathVariable UUID id) {
        return imports.find(id);
    }

    private static FleetLineParser.Format format(HttpServletRequest request) {
        String type = request.getContentType() == null ? "" : request.getContentType().toLowerCase(Locale.ROOT);
        return type.startsWith("text/csv") ? FleetLineParser.Format.CSV : FleetLineParser.Format.NDJSON;
    }

    private static InputStream body(HttpServletRequest request) throws IOException {
        InputStream body = request.getInputStream();
        String encoding = request.getHeader("Content-Encoding");
        if (encoding != null && encoding.equalsIgnoreCase("gzip")) {
            try {
                return InflateLimit.gunzip(body);
            }
            catch (ZipException | EOFException e) {
                throw ProblemException.badRequest("The body is sent with Content-Encoding gzip but is not gzip: "
                        + e.getMessage());
            }
        }
        if (encoding != null && !encoding.equalsIgnoreCase("identity")) {
            throw new ProblemException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Content-Encoding " + encoding
                    + " is not supported; send gzip or plain");
        }
        return body;
    }
}
