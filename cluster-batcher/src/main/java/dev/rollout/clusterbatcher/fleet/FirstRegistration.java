package dev.rollout.clusterbatcher.fleet;

import java.util.regex.Pattern;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A fleet's first registration loads, then indexes. Maintained row by row, the stratum index costs a large part of an
 * import: a descent of the index and an insertion per agent. Into an empty fleet, a large upload therefore goes in
 * without that index, which is then built in one sorted pass with its pages full, as {@code CREATE INDEX} builds it
 * (led by the rank, which grows as the agents arrive, its entries come nearly in order). The agent key stays
 * throughout: it rejects a duplicate id as it arrives.
 * All of it in the import's transaction: an import that fails leaves the index as it was. While it runs the agent
 * table is locked for readers too; with an empty fleet there is nothing to read.
 */
final class FirstRegistration {

    static final String INDEX = "agent_stratum_rank";

    private static final Pattern MEMORY = Pattern.compile("\\d{1,9}(kB|MB|GB)");

    private final JdbcTemplate jdbc;
    private final String definition;
    private final String buildMemory;

    private FirstRegistration(JdbcTemplate jdbc, String definition, String buildMemory) {
        this.jdbc = jdbc;
        this.definition = definition;
        this.buildMemory = buildMemory;
    }

    /**
     * Under the fleet lock, in the import's transaction: drops the stratum index when the fleet is empty and the upload
     * brings at least {@code from} agents; {@code null} (nothing done) otherwise.
     */
    static FirstRegistration begin(JdbcTemplate jdbc, long agents, long from, String buildMemory) {
        if (agents < from
                || Boolean.TRUE.equals(jdbc.queryForObject("SELECT EXISTS (SELECT 1 FROM agent)", Boolean.class))) {
            return null;
        }
        String definition = jdbc.queryForObject("SELECT pg_get_indexdef(to_regclass(?))", String.class, INDEX);
        if (definition == null) {
            return null;
        }
        jdbc.execute("DROP INDEX " + INDEX);
        return new FirstRegistration(jdbc, definition, buildMemory);
    }

    /** The memory to build the index with, as PostgreSQL's {@code maintenance_work_mem} takes it; checked at start. */
    static String buildMemory(String memory) {
        if (!MEMORY.matcher(memory).matches()) {
            throw new IllegalArgumentException("rollout.fleet.index-build-memory must be a size such as 512MB or 1GB, not "
                    + memory);
        }
        return memory;
    }

    /** Builds the index again, exactly as it was defined, in one pass over the loaded agents. */
    void finish() {
        jdbc.execute("SET LOCAL maintenance_work_mem = '" + buildMemory + "'");
        jdbc.execute(definition);
    }
}
