package dev.rollout.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.JsonNode;

/** {@code rollout evidence upload}: a build's reports, as its tools wrote them, as a rollout's Phase 1 evidence. */
@Command(name = "evidence", description = "A rollout's CI evidence.", subcommands = EvidenceCommand.Upload.class)
final class EvidenceCommand {

    @ParentCommand
    Rollout root;

    /** The kinds of report, with the option that names them and how to recognise one. */
    enum Kind {
        JUNIT("junit", "application/xml", "a JUnit XML report (no <testsuite>)"),
        JACOCO("jacoco", "application/xml", "a JaCoCo XML report (no <report> with <sessioninfo> or counters)"),
        COBERTURA("cobertura", "application/xml", "a Cobertura XML report (no <coverage>)"),
        SARIF("sarif", "application/json", "a SARIF log (no \"runs\")"),
        JMH("jmh", "application/json", "a JMH JSON result (not an array of \"benchmark\" entries)"),
        JMH_BASELINE("jmh-baseline", "application/json", "a JMH JSON result (not an array of \"benchmark\" entries)"),
        JMH_BUDGET("jmh-budget", "application/json", "a JMH budget (not a JSON object)");

        final String key;
        final String contentType;
        final String notOne;

        Kind(String key, String contentType, String notOne) {
            this.key = key;
            this.contentType = contentType;
            this.notOne = notOne;
        }

        /** Whether the file's beginning looks like this kind of report. */
        boolean recognises(String text) {
            String head = text.length() > 65_536 ? text.substring(0, 65_536) : text;
            String trimmed = head.stripLeading();
            return switch (this) {
                case JUNIT -> trimmed.startsWith("<") && head.contains("<testsuite");
                case JACOCO -> trimmed.startsWith("<") && head.contains("<report")
                        && (head.contains("<sessioninfo") || head.contains("<counter") || head.contains("JACOCO"));
                case COBERTURA -> trimmed.startsWith("<") && head.contains("<coverage");
                case SARIF -> trimmed.startsWith("{") && head.contains("\"runs\"");
                case JMH, JMH_BASELINE -> trimmed.startsWith("[") && head.contains("\"benchmark\"");
                case JMH_BUDGET -> trimmed.startsWith("{");
            };
        }
    }

    @Command(name = "upload", sortOptions = false,
            description = "Upload reports (globs, quoted: 'target/surefire-reports/*.xml'); files that are not "
                    + "reports of their kind are skipped with a note. All or nothing on the platform's side.")
    static final class Upload implements Callable<Integer> {

        @ParentCommand
        EvidenceCommand evidence;

        @Parameters(index = "0", paramLabel = "ROLLOUT", description = "The rollout's id")
        UUID rollout;

        @Option(names = "--junit", paramLabel = "GLOB", description = "JUnit XML reports (surefire, failsafe, gradle, pytest)")
        List<String> junit = new ArrayList<>();

        @Option(names = "--jacoco", paramLabel = "GLOB", description = "JaCoCo XML coverage")
        List<String> jacoco = new ArrayList<>();

        @Option(names = "--cobertura", paramLabel = "GLOB", description = "Cobertura XML coverage")
        List<String> cobertura = new ArrayList<>();

        @Option(names = "--sarif", paramLabel = "GLOB", description = "SARIF 2.1.0 security scans")
        List<String> sarif = new ArrayList<>();

        @Option(names = "--jmh", paramLabel = "GLOB", description = "JMH JSON results of this build")
        List<String> jmh = new ArrayList<>();

        @Option(names = "--jmh-baseline", paramLabel = "GLOB", description = "JMH JSON results to compare with")
        List<String> jmhBaseline = new ArrayList<>();

        @Option(names = "--jmh-budget", paramLabel = "GLOB", description = "{\"benchmark\": maxScore}")
        List<String> jmhBudget = new ArrayList<>();

        @Option(names = "--dir", description = "Where relative globs start (default: the current directory)")
        Path dir = Path.of("");

        @Override
        public Integer call() throws IOException {
            Rollout root = evidence.root;
            Map<Kind, List<String>> globs = new LinkedHashMap<>();
            globs.put(Kind.JUNIT, junit);
            globs.put(Kind.JACOCO, jacoco);
            globs.put(Kind.COBERTURA, cobertura);
            globs.put(Kind.SARIF, sarif);
            globs.put(Kind.JMH, jmh);
            globs.put(Kind.JMH_BASELINE, jmhBaseline);
            globs.put(Kind.JMH_BUDGET, jmhBudget);
            List<Api.Part> parts = new ArrayList<>();
            for (Map.Entry<Kind, List<String>> entry : globs.entrySet()) {
                for (String glob : entry.getValue()) {
                    List<Path> files = Globs.expand(dir, glob);
                    if (files.isEmpty()) {
                        root.err.println("note: --" + entry.getKey().key + " '" + glob + "' matches no file");
                    }
                    for (Path file : files) {
                        byte[] content = Files.readAllBytes(file);
                        if (!entry.getKey().recognises(new String(content, StandardCharsets.UTF_8))) {
                            root.err.println("note: skipped " + file + ": not " + entry.getKey().notOne);
                            continue;
                        }
                        parts.add(new Api.Part(entry.getKey().key, String.valueOf(file.getFileName()),
                                entry.getKey().contentType, content));
                    }
                }
            }
            if (parts.isEmpty()) {
                throw new IllegalArgumentException("nothing to upload: no report matched (--junit, --jacoco, --cobertura, "
                        + "--sarif, --jmh, --jmh-baseline, --jmh-budget)");
            }
            JsonNode upload = root.api().upload("/api/rollouts/" + rollout + "/evidence", parts);
            if (root.json()) {
                root.printJson(upload);
                return Rollout.OK;
            }
            root.out.println("uploaded " + upload.path("files").size() + " file(s) to rollout " + rollout + " (upload "
                    + upload.path("uploadId").asString() + ")");
            for (JsonNode file : upload.path("files")) {
                root.out.println("  " + file.path("type").asString().toLowerCase().replace('_', '-') + "  " + file.path("file").asString()
                        + "  " + summary(file.path("summary")));
            }
            for (JsonNode skipped : upload.path("skipped")) {
                root.out.println("  skipped by the platform: " + skipped.path("file").asString() + ": "
                        + skipped.path("reason").asString());
            }
            return Rollout.OK;
        }

        private static String summary(JsonNode summary) {
            if (!summary.isObject()) {
                return summary.isMissingNode() || summary.isNull() ? "" : summary.toString();
            }
            List<String> fields = new ArrayList<>();
            summary.properties().forEach(e -> {
                if (e.getValue().isValueNode() && !e.getKey().equals("file")) {
                    fields.add(e.getKey() + " " + (e.getValue().isNumber() ? Figures.number(e.getValue().asDouble())
                            : e.getValue().asString()));
                }
            });
            return String.join(", ", fields);
        }
    }
}
