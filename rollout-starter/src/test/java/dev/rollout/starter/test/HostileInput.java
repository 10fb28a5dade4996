package dev.rollout.starter.test;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Hostile and broken input against a running service, driven by its own OpenAPI document: for every operation
 * and every role, a corpus of requests that a careless client or an attacker sends (missing, extra and
 * wrongly typed fields, boundary and huge numbers, NaN and infinities, over-long strings, NUL and non-UTF-8
 * bytes, broken JSON, wrong content types and encodings, traversal in path variables, bodies over the limit,
 * declared and chunked). What must hold: no 5xx, every 4xx an RFC 9457 problem, and after a refused request
 * the service's tables exactly as before it (no partial write). A role whose well-formed request is refused
 * (401, 403) gets the probes that could get past a role check read too late (oversized, broken and garbage
 * bodies, traversal), not the whole corpus.
 */
public final class HostileInput {

    /** A request that broke a rule. */
    public record Finding(String operation, String role, String probe, int status, String what) {
        @Override
        public String toString() {
            return operation + " as " + role + ", " + probe + ": " + status + " " + what;
        }
    }

    public record Report(String service, int operations, int requests, Map<Integer, Integer> statuses,
            List<Finding> findings, Duration took) {

        public long serverErrors() {
            return statuses.entrySet().stream().filter(e -> e.getKey() >= 500).mapToLong(Map.Entry::getValue).sum();
        }

        public String summary() {
            return "hostile-input " + service + ": " + operations + " operations, " + requests + " requests, statuses "
                    + statuses + ", " + serverErrors() + " x 5xx, " + findings.size() + " findings, in " + took.toSeconds() + " s";
        }
    }

    /** The development tokens of every role, and no token at all. */
    public static final Map<String, String> ROLES = roles();

    private static Map<String, String> roles() {
        Map<String, String> roles = new LinkedHashMap<>();
        roles.put("RELEASE_MANAGER", "dev-release-manager");
        roles.put("CI_PIPELINE", "dev-ci");
        roles.put("ON_CALL", "dev-on-call");
        roles.put("VIEWER", "dev-viewer");
        roles.put("AGENT", "dev-agent-a-1");
        roles.put("AGENT_GATEWAY", "dev-gateway-eu-1");
        roles.put("SERVICE", "dev-service");
        roles.put("METRICS", "dev-metrics");
        roles.put("PILOT", "dev-pilot-elite-s4-01");
        roles.put("anonymous", null);
        return roles;
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String service;
    private final String baseUrl;
    private final JdbcTemplate jdbc;
    private final String schema;
    private final Set<String> bookkeeping;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private String snapshotQuery;

    /**
     * @param bookkeeping tables a refused request may write by design (an import's FAILED status), left out of
     *                    the no-partial-write check
     */
    public HostileInput(String service, String baseUrl, DataSource dataSource, String schema, Set<String> bookkeeping) {
        this.service = service;
        this.baseUrl = baseUrl;
        this.jdbc = dataSource == null ? null : new JdbcTemplate(dataSource);
        this.schema = schema;
        this.bookkeeping = bookkeeping;
    }

    public Report run() {
        JsonNode document = JSON.readTree(send(HttpRequest.newBuilder(URI.create(baseUrl + "/v3/api-docs")).GET().build())
                .body());
        List<Operation> operations = Operations.of(document);
        long started = System.nanoTime();
        Map<Integer, Integer> statuses = new TreeMap<>();
        List<Finding> findings = new ArrayList<>();
        int requests = 0;
        String before = snapshot();
        for (Operation operation : operations) {
            List<Corpus.Probe> corpus = Corpus.of(operation);
            for (Map.Entry<String, String> role : ROLES.entrySet()) {
                boolean refused = false;
                for (Corpus.Probe probe : corpus) {
                    if (refused && !Corpus.ALSO_WHEN_REFUSED.test(probe.name())) {
                        continue; // refused before the body is read: the rest of the corpus would say nothing new
                    }
                    Answer answer = probe.send(this, operation, role.getValue());
                    if (probe == corpus.get(0)) {
                        refused = answer.status() == 401 || answer.status() == 403;
                    }
                    requests++;
                    statuses.merge(answer.status(), 1, Integer::sum);
                    String broken = judge(answer);
                    if (answer.status() >= 400 && answer.status() < 500) {
                        String after = snapshot();
                        if (!after.equals(before)) {
                            broken = (broken == null ? "" : broken + "; ") + "the refused request changed "
                                    + difference(before, after);
                        }
                        before = after;
                    }
                    else if (answer.status() < 400) {
                        before = snapshot(); // an accepted request may write
                    }
                    if (broken != null) {
                        findings.add(new Finding(operation.toString(), role.getKey(), probe.name(), answer.status(), broken));
                    }
                }
            }
        }
        Report report = new Report(service, operations.size(), requests, statuses, findings,
                Duration.ofNanos(System.nanoTime() - started));
        write(report);
        return report;
    }

    private static String judge(Answer answer) {
        if (answer.status() >= 500 || answer.status() == 0) {
            return "a server error: " + abbreviate(answer.body());
        }
        if (answer.status() >= 400) {
            if (answer.contentType() == null || !answer.contentType().startsWith("application/problem+json")) {
                return "not a problem response (" + answer.contentType() + "): " + abbreviate(answer.body());
            }
            try {
                JsonNode problem = JSON.readTree(answer.body());
                if (problem.path("status").asInt() != answer.status() || problem.path("title").asString("").isEmpty()) {
                    return "a problem without its status or title: " + abbreviate(answer.body());
                }
            }
            catch (RuntimeException e) {
                return "a problem that is not JSON: " + abbreviate(answer.body());
            }
        }
        return null;
    }

    record Answer(int status, String contentType, String body) {
    }

    Answer send(HttpRequest request) {
        try {
            HttpResponse<String> response;
            try {
                response = client.send(request, HttpResponse.BodyHandlers.ofString());
            }
            catch (IOException stale) {
                // the server closed a kept-alive connection after refusing a body it did not read (a 413): a
                // client opens a new one and sends again, and so do we, once
                response = client.send(request, HttpResponse.BodyHandlers.ofString());
            }
            return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(null),
                    response.body());
        }
        catch (IOException e) {
            return new Answer(0, null, "no answer: " + e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A request the HTTP client will not write: a declared length far beyond what is sent. */
    Answer sendRaw(String method, String path, String token, String contentType, long declaredLength, byte[] sent) {
        URI uri = URI.create(baseUrl);
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write((method + " " + path + " HTTP/1.1\r\nHost: " + uri.getHost() + "\r\nConnection: close\r\n"
                    + (token == null ? "" : "Authorization: Bearer " + token + "\r\n")
                    + "Content-Type: " + contentType + "\r\nContent-Length: " + declaredLength + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(sent);
            out.flush();
            // the answer comes before the announced body was sent: read it by its framing, not to the end of
            // the connection (the server may wait for the rest of the body before closing)
            InputStream in = new BufferedInputStream(socket.getInputStream());
            String statusLine = line(in);
            int status = Integer.parseInt(statusLine.substring(9, 12));
            String type = null;
            long length = -1;
            boolean chunked = false;
            for (String header = line(in); !header.isEmpty(); header = line(in)) {
                String lower = header.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-type:")) {
                    type = header.substring(13).trim();
                }
                else if (lower.startsWith("content-length:")) {
                    length = Long.parseLong(header.substring(15).trim());
                }
                else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                    chunked = true;
                }
            }
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            if (chunked) {
                for (int size = Integer.parseInt(line(in).split(";")[0].trim(), 16); size > 0;
                        size = Integer.parseInt(line(in).split(";")[0].trim(), 16)) {
                    body.writeBytes(in.readNBytes(size));
                    line(in);
                }
            }
            else if (length > 0) {
                body.writeBytes(in.readNBytes((int) length));
            }
            String text = body.toString(StandardCharsets.UTF_8);
            return new Answer(status, type, text);
        }
        catch (IOException | RuntimeException e) {
            return new Answer(0, null, "no answer: " + e);
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) {
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    String baseUrl() {
        return baseUrl;
    }

    /** One hash per table of the service's schema: equal snapshots, equal rows. */
    private String snapshot() {
        if (jdbc == null) {
            return "";
        }
        if (snapshotQuery == null) {
            List<String> tables = jdbc.queryForList("SELECT table_name FROM information_schema.tables WHERE table_schema = ?"
                    + " AND table_type = 'BASE TABLE' ORDER BY table_name", String.class, schema);
            List<String> parts = new ArrayList<>();
            for (String table : tables) {
                if (!bookkeeping.contains(table) && !table.equals("flyway_schema_history")
                        && !table.equals("idempotency_key")) {
                    parts.add("SELECT '" + table + "=' || count(*) || ':' || coalesce(md5(string_agg(md5(t::text), ','"
                            + " ORDER BY md5(t::text))), '') FROM \"" + schema + "\".\"" + table + "\" t");
                }
            }
            snapshotQuery = parts.isEmpty() ? "SELECT ''" : "SELECT string_agg(s, ' ') FROM (" + String.join(" UNION ALL ", parts)
                    + ") x(s)";
        }
        return jdbc.queryForObject(snapshotQuery, String.class);
    }

    private static String difference(String before, String after) {
        List<String> changed = new ArrayList<>();
        List<String> a = List.of(before.split(" "));
        for (String table : after.split(" ")) {
            if (!a.contains(table)) {
                changed.add(table.substring(0, table.indexOf('=')));
            }
        }
        return changed.toString();
    }

    private static String abbreviate(String body) {
        return body == null ? "" : body.length() > 300 ? body.substring(0, 300) + "..." : body;
    }

    private void write(Report report) {
        try {
            Path out = Path.of("target", "hostile-input-" + service + ".txt");
            Files.createDirectories(out.getParent());
            StringBuilder text = new StringBuilder(report.summary()).append('\n');
            report.findings().forEach(f -> text.append(f).append('\n'));
            Files.writeString(out, text);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.out.println(report.summary());
    }

    static String newId() {
        return UUID.randomUUID().toString();
    }
}
