package dev.rollout.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.JsonNode;

/** {@code rollout create}: a DRAFT rollout of a new version, from options or from a JSON file. */
@Command(name = "create", sortOptions = false, description = "Create a rollout (DRAFT); prints its id.")
final class CreateCommand implements Callable<Integer> {

    @ParentCommand
    Rollout root;

    @Option(names = "--file", description = "The whole request as JSON (POST /api/rollouts); other options then not needed")
    Path file;

    @Option(names = "--name", description = "A name people recognise, e.g. 'assistant 2.4'")
    String name;

    @Option(names = "--version", description = "The version rolled out")
    String version;

    @Option(names = "--previous", description = "The stable version it replaces (what a rollback returns to)")
    String previous;

    @Option(names = "--component", paramLabel = "NAME=VERSION", description = "A component and its version; repeat it")
    List<String> components = new ArrayList<>();

    @Option(names = "--plan", paramLabel = "FILE", description = "The plan as JSON (phases, batch size, KPI overrides)")
    Path plan;

    @Override
    public Integer call() throws Exception {
        Object body;
        if (file != null) {
            body = Api.JSON.readTree(Files.readString(file));
        }
        else {
            List<String> missing = new ArrayList<>();
            if (name == null) {
                missing.add("--name");
            }
            if (version == null) {
                missing.add("--version");
            }
            if (previous == null) {
                missing.add("--previous");
            }
            if (components.isEmpty()) {
                missing.add("--component");
            }
            if (!missing.isEmpty()) {
                throw new IllegalArgumentException("create needs " + String.join(", ", missing) + " (or --file)");
            }
            Map<String, Object> request = new LinkedHashMap<>();
            request.put("name", name);
            request.put("targetVersion", version);
            request.put("previousStableVersion", previous);
            List<Map<String, String>> parts = new ArrayList<>();
            for (String component : components) {
                int eq = component.indexOf('=');
                if (eq <= 0 || eq == component.length() - 1) {
                    throw new IllegalArgumentException("--component " + component + ": write NAME=VERSION, e.g. planner=2.4.0");
                }
                parts.add(Map.of("name", component.substring(0, eq), "version", component.substring(eq + 1)));
            }
            request.put("components", parts);
            if (plan != null) {
                request.put("plan", Api.JSON.readTree(Files.readString(plan)));
            }
            body = request;
        }
        JsonNode created = root.api().post("/api/rollouts", body);
        if (root.json()) {
            root.printJson(created);
        }
        else {
            root.out.println(created.path("id").asString());
            root.err.println("created rollout '" + created.path("name").asString() + "' " + created.path("targetVersion")
                    .asString() + " (" + created.path("status").asString() + "); start it with: rollout start "
                    + created.path("id").asString());
        }
        return Rollout.OK;
    }
}
