package dev.rollout.metricsgate.evidence;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;

import dev.rollout.starter.web.ProblemException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.multipart.MultipartHttpServletRequest;

@RestController
@Tag(name = "CI evidence", description = "Phase 1: test reports, coverage, security scans and benchmarks as the tools write them")
class EvidenceController {

    private final Evidence evidence;

    EvidenceController(Evidence evidence) {
        this.evidence = evidence;
    }

    @PostMapping(path = "/api/rollouts/{rolloutId}/evidence")
    @ResponseStatus(HttpStatus.CREATED)
    @PreAuthorize("hasAnyRole('CI_PIPELINE','RELEASE_MANAGER')")
    @Operation(summary = "Upload CI evidence: multipart parts named by type, or one raw file with ?type=",
            description = "Roles: CI_PIPELINE, RELEASE_MANAGER. Types: junit (JUnit XML, several files allowed), jacoco, "
                    + "cobertura (XML coverage), sarif (SARIF 2.1.0), jmh (JMH JSON), jmh-baseline, jmh-budget "
                    + "({\"benchmark\": maxScore}). All or nothing: a malformed file is a 422 that says where it broke.")
    Evidence.Upload upload(@PathVariable UUID rolloutId, @RequestParam(required = false) String type,
            HttpServletRequest request, Authentication caller) throws IOException {
        List<Evidence.File> files = new ArrayList<>();
        if (request instanceof MultipartHttpServletRequest multipart) {
            for (Map.Entry<String, List<MultipartFile>> part : multipart.getMultiFileMap().entrySet()) {
                EvidenceType kind = kind(part.getKey());
                for (MultipartFile file : part.getValue()) {
                    files.add(new Evidence.File(kind, file.getOriginalFilename() == null ? part.getKey()
                            : file.getOriginalFilename(), file.getBytes()));
                }
            }
        }
        else {
            if (type == null) {
                throw ProblemException.badRequest("A raw upload names its type: ?type=junit|jacoco|cobertura|sarif|jmh|"
                        + "jmh-baseline|jmh-budget (or send multipart parts named by type)");
            }
            String name = request.getHeader("X-File-Name");
            files.add(new Evidence.File(kind(type), name == null ? type : name, request.getInputStream().readAllBytes()));
        }
        return evidence.upload(rolloutId, files, caller.getName());
    }

    @GetMapping("/api/rollouts/{rolloutId}/evidence")
    @PreAuthorize("hasAnyRole('CI_PIPELINE','RELEASE_MANAGER','VIEWER','SERVICE')")
    @Operation(summary = "The evidence uploaded for a rollout", description = "Roles: CI_PIPELINE, RELEASE_MANAGER, VIEWER, SERVICE")
    List<Map<String, Object>> list(@PathVariable UUID rolloutId) {
        return evidence.list(rolloutId);
    }

    private static EvidenceType kind(String type) {
        return EvidenceType.of(type).orElseThrow(() -> ProblemException.badRequest("'" + type
                + "' is not an evidence type: junit, jacoco, cobertura, sarif, jmh, jmh-baseline or jmh-budget"));
    }
}
