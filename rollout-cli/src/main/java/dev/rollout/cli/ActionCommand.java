package dev.rollout.cli;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.JsonNode;

/** The actions on a rollout that take a reason: start, approve, pause, resume, promote, abort. */
abstract class ActionCommand implements Callable<Integer> {

    @ParentCommand
    Rollout root;

    @Parameters(index = "0", paramLabel = "ROLLOUT", description = "The rollout's id")
    UUID rollout;

    @Option(names = "--reason", description = "Why: kept in the rollout's timeline")
    String reason;

    abstract String action();

    @Override
    public Integer call() {
        JsonNode answer = root.api().post("/api/rollouts/" + rollout + "/" + action(),
                reason == null ? Map.of() : Map.of("reason", reason));
        if (root.json()) {
            root.printJson(answer);
        }
        else {
            root.out.println(StatusCommand.line(answer));
        }
        return Rollout.OK;
    }

    @Command(name = "start", description = "Start a DRAFT rollout: Phase 1 is judged on its evidence.")
    static final class Start extends ActionCommand {
        String action() {
            return "start";
        }
    }

    @Command(name = "approve", description = "Approve leaving the current phase once its gate passes and its soak is done.")
    static final class Approve extends ActionCommand {
        String action() {
            return "approve";
        }
    }

    @Command(name = "pause", description = "Pause the rollout where it is.")
    static final class Pause extends ActionCommand {
        String action() {
            return "pause";
        }
    }

    @Command(name = "resume", description = "Resume a paused rollout in the phase it paused.")
    static final class Resume extends ActionCommand {
        String action() {
            return "resume";
        }
    }

    @Command(name = "promote", description = "Skip the rest of the current phase's soak (the gate must still pass).")
    static final class Promote extends ActionCommand {
        String action() {
            return "promote";
        }
    }

    @Command(name = "abort", description = "Abort the rollout.")
    static final class Abort extends ActionCommand {
        String action() {
            return "abort";
        }
    }
}
