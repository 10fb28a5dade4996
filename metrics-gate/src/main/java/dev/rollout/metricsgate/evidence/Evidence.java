package dev.rollout.metricsgate.evidence;

import java.io.ByteArrayInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import dev.rollout.starter.web.ProblemException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Parses and keeps Phase 1 evidence. An upload is all or nothing: every file is parsed before any is
 * stored, and a malformed one refuses the whole upload with where it broke.
 */
@Service
public class Evidence {

    /** One file as received. */
    public record File(EvidenceType type, String name, byte[] content) {
    }

    /** One stored file with its parsed summary. */
    public record Stored(UUID id, EvidenceType type, String file, String sha256, Object summary, Instant uploadedAt) {
    }

    /** A file of the upload that was not evidence (a Failsafe summary, a Surefire text file), with why. */
    public record Skipped(String file, String reason) {
    }

    public record Upload(UUID uploadId, UUID rolloutId, List<Stored> files, List<Skipped> skipped) {
    }

    /** The latest evidence of each kind that Phase 1 is judged on. */
    public record Latest(List<TestReport> tests, List<CoverageReport> coverage, List<SecurityScan> scans,
            List<BenchmarkResults> benchmarks, List<BenchmarkResults> baselines, Map<String, Double> budgets) {
    }

    private final JdbcTemplate jdbc;
    private final JsonMapper json;
    private final Clock clock;

    Evidence(JdbcTemplate jdbc, JsonMapper json, Clock clock) {
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
    }

    @Transactional
    public Upload upload(UUID rolloutId, List<File> files, String actor) {
        if (files.isEmpty()) {
            throw ProblemException.badRequest("The upload has no files: send multipart parts named by type (junit, "
                    + "jacoco, cobertura, sarif, jmh, jmh-baseline, jmh-budget) or a raw body with ?type=");
        }
        List<Object> summaries = new ArrayList<>();
        List<File> kept = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        for (File file : files) {
            Optional<String> notEvidence = notEvidence(file);
            if (notEvidence.isPresent()) {
                skipped.add(new Skipped(file.name(), notEvidence.get()));
                continue;
            }
            try {
                summaries.add(parse(file));
                kept.add(file);
            }
            catch (TestReport.NotAReport e) {
                skipped.add(new Skipped(file.name(), e.getMessage()));
            }
            catch (MalformedEvidence e) {
                throw ProblemException.unprocessable(e.getMessage()).with("file", file.name());
            }
        }
        if (kept.isEmpty()) {
            throw ProblemException.unprocessable("The upload holds no evidence: " + String.join("; ",
                    skipped.stream().map(s -> s.file() + " (" + s.reason() + ")").toList())).with("skipped", skipped);
        }
        files = kept;
        UUID uploadId = UUID.randomUUID();
        Instant now = clock.instant();
        List<Stored> stored = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            File file = files.get(i);
            UUID id = UUID.randomUUID();
            String sha = sha256(file.content());
            jdbc.update("INSERT INTO evidence (id, upload_id, rollout_id, type, file, sha256, summary, uploaded_by,"
                    + " uploaded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", id, uploadId, rolloutId, file.type().name(),
                    file.name(), sha, json.writeValueAsString(summaries.get(i)), actor, Timestamp.from(now));
            stored.add(new Stored(id, file.type(), file.name(), sha, summaries.get(i), now));
        }
        return new Upload(uploadId, rolloutId, stored, skipped);
    }

    /**
     * A file a glob over a report folder picks up besides the reports ({@code target/surefire-reports/*} holds
     * {@code .txt} summaries, Failsafe's folder {@code failsafe-summary.xml}): skipped with a note, so that one
     * such file does not refuse the whole upload. Only for test reports, whose folders mix files; any other type
     * names one file, and a wrong one is refused.
     */
    private static Optional<String> notEvidence(File file) {
        if (file.type() != EvidenceType.JUNIT) {
            return Optional.empty();
        }
        String name = file.name().toLowerCase(Locale.ROOT);
        if (name.endsWith("failsafe-summary.xml")) {
            return Optional.of("a Failsafe summary, not a test report: the reports beside it count the tests");
        }
        if (name.contains(".") && !name.endsWith(".xml")) {
            return Optional.of("not an XML file: a JUnit report is XML");
        }
        return Optional.empty();
    }

    private Object parse(File file) {
        return switch (file.type()) {
            case JUNIT -> TestReport.parse(file.name(), new ByteArrayInputStream(file.content()));
            case JACOCO -> CoverageReport.jacoco(file.name(), new ByteArrayInputStream(file.content()));
            case COBERTURA -> CoverageReport.cobertura(file.name(), new ByteArrayInputStream(file.content()));
            case SARIF -> SecurityScan.parse(file.name(), file.content(), json);
            case JMH, JMH_BASELINE -> BenchmarkResults.parse(file.name(), file.content(), json);
            case JMH_BUDGET -> budgets(file);
        };
    }

    /** A budget file: {"benchmark name": highest acceptable score, ...} (lowest, for throughput). */
    private Map<String, Double> budgets(File file) {
        try {
            JsonNode root = json.readTree(file.content());
            if (root == null || !root.isObject()) {
                throw new MalformedEvidence(file.name(), "$", "a budget file is an object of benchmark name to score");
            }
            Map<String, Double> budgets = new LinkedHashMap<>();
            for (var entry : root.properties()) {
                if (!entry.getValue().isNumber()) {
                    throw new MalformedEvidence(file.name(), "$." + entry.getKey(), "the budget is not a number");
                }
                budgets.put(entry.getKey(), entry.getValue().asDouble());
            }
            return budgets;
        }
        catch (JacksonException e) {
            throw new MalformedEvidence(file.name(), e.getLocation() == null ? "" : "line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr(), "not valid JSON: " + e.getOriginalMessage());
        }
    }

    @Transactional(readOnly = true)
    public Latest latest(UUID rolloutId) {
        return new Latest(latestOf(rolloutId, List.of(EvidenceType.JUNIT), TestReport.class),
                latestOf(rolloutId, List.of(EvidenceType.JACOCO, EvidenceType.COBERTURA), CoverageReport.class),
                latestOf(rolloutId, List.of(EvidenceType.SARIF), SecurityScan.class),
                latestOf(rolloutId, List.of(EvidenceType.JMH), BenchmarkResults.class),
                latestOf(rolloutId, List.of(EvidenceType.JMH_BASELINE), BenchmarkResults.class),
                latestBudgets(rolloutId));
    }

    /** The files of the newest upload that holds one of these types. */
    private <T> List<T> latestOf(UUID rolloutId, List<EvidenceType> types, Class<T> kind) {
        String in = String.join(",", types.stream().map(t -> "'" + t.name() + "'").toList());
        Optional<UUID> upload = jdbc.query("SELECT upload_id FROM evidence WHERE rollout_id = ? AND type IN (" + in + ")"
                + " ORDER BY uploaded_at DESC", (rs, n) -> rs.getObject(1, UUID.class), rolloutId).stream().findFirst();
        if (upload.isEmpty()) {
            return List.of();
        }
        return jdbc.query("SELECT summary FROM evidence WHERE upload_id = ? AND type IN (" + in + ") ORDER BY file",
                (rs, n) -> json.readValue(rs.getString(1), kind), upload.get());
    }

    @SuppressWarnings("unchecked")
    private Map<String, Double> latestBudgets(UUID rolloutId) {
        List<String> found = jdbc.queryForList("SELECT summary FROM evidence WHERE rollout_id = ? AND type = 'JMH_BUDGET'"
                + " ORDER BY uploaded_at DESC", String.class, rolloutId);
        return found.isEmpty() ? Map.of() : json.readValue(found.get(0), Map.class);
    }

    @Transactional(readOnly = true)
    public List<Map<String, Object>> list(UUID rolloutId) {
        return jdbc.queryForList("SELECT id, upload_id, type, file, sha256, uploaded_by, uploaded_at FROM evidence"
                + " WHERE rollout_id = ? ORDER BY uploaded_at DESC, file", rolloutId);
    }

    private static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
