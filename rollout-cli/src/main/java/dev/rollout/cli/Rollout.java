package dev.rollout.cli;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import tools.jackson.databind.JsonNode;

/**
 * {@code rollout}: the platform from a pipeline or a terminal. The address and the token come from the environment
 * ({@code ROLLOUT_URL}, {@code ROLLOUT_TOKEN}) or from {@code --url} and {@code --token}; {@code -o json} prints
 * the platform's answers as JSON for a script. Exit codes a pipeline can branch on: 0 done (or a gate's PASS),
 * 2 a gate's HOLD, 3 a gate's ROLLBACK (or a rollout rolled back), 1 any error, the error on standard error.
 */
@Command(name = "rollout", mixinStandardHelpOptions = true, version = "rollout 0.1.0", sortOptions = false,
        description = "Create, gate, watch and act on rollouts of the rollout platform.",
        subcommands = { CreateCommand.class, EvidenceCommand.class, GateCommand.class, StatusCommand.class,
                WatchCommand.class, ActionCommand.Start.class, ActionCommand.Approve.class, ActionCommand.Pause.class,
                ActionCommand.Resume.class, ActionCommand.Promote.class, ActionCommand.Abort.class,
                RollbackCommand.class, CommandLine.HelpCommand.class },
        footer = { "", "Environment: ROLLOUT_URL (default http://127.0.0.1:8080), ROLLOUT_TOKEN.",
                "Exit codes: 0 done or PASS, 2 HOLD, 3 ROLLBACK or rolled back, 1 error." })
public final class Rollout {

    public static final int OK = 0;
    public static final int ERROR = 1;
    public static final int HOLD = 2;
    public static final int ROLLBACK = 3;

    /** How answers are printed. */
    enum Output {
        text, json
    }

    @Option(names = "--url", scope = ScopeType.INHERIT, description = "The platform's address (ROLLOUT_URL)")
    String url;

    @Option(names = "--token", scope = ScopeType.INHERIT, description = "A bearer token (ROLLOUT_TOKEN)")
    String token;

    @Option(names = { "-o", "--output" }, scope = ScopeType.INHERIT, defaultValue = "text",
            description = "text or json (default: ${DEFAULT-VALUE})")
    Output output;

    final Map<String, String> env;
    final PrintWriter out;
    final PrintWriter err;
    final boolean terminal;

    Rollout(Map<String, String> env, PrintWriter out, PrintWriter err, boolean terminal) {
        this.env = env;
        this.out = out;
        this.err = err;
        this.terminal = terminal;
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        System.exit(run(args, System.getenv(), out, err, System.console() != null));
    }

    /** Runs one command line and returns its exit code; what it prints goes to {@code out} and {@code err}. */
    public static int run(String[] args, Map<String, String> env, PrintWriter out, PrintWriter err, boolean terminal) {
        Rollout root = new Rollout(env, out, err, terminal);
        CommandLine line = new CommandLine(root);
        line.setOut(out).setErr(err).setCaseInsensitiveEnumValuesAllowed(true);
        line.setParameterExceptionHandler((e, arguments) -> {
            err.println("rollout: " + e.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
            err.println("see: " + e.getCommandLine().getCommandSpec().qualifiedName() + " --help");
            return ERROR;
        });
        line.setExecutionExceptionHandler((e, command, parsed) -> {
            if (e instanceof Api.ApiException problem) {
                err.println("rollout: " + problem.getMessage());
            }
            else if (e instanceof IllegalArgumentException || e instanceof IllegalStateException) {
                err.println("rollout: " + e.getMessage());
            }
            else {
                err.println("rollout: " + e);
            }
            return ERROR;
        });
        int code = line.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    Api api() {
        String address = url != null ? url : env.getOrDefault("ROLLOUT_URL", "http://127.0.0.1:8080");
        return new Api(address, token != null ? token : env.get("ROLLOUT_TOKEN"));
    }

    boolean json() {
        return output == Output.json;
    }

    /** Prints an answer as JSON (for {@code -o json}). */
    void printJson(JsonNode node) {
        out.println(Api.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node));
    }
}
