package dev.rollout.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The release steps of docs/pipelines/ run as their runners run them, in a workspace that holds what the build
 * steps would have written: GitHub Actions' steps one by one in bash ({@code -eo pipefail}), {@code $GITHUB_ENV}
 * carried from step to step, later steps skipped after a failure but those marked {@code if: always()}; GitLab's
 * job script as one shell, stopping at the first failing line. The build steps themselves ({@code ./mvnw},
 * {@code bench/run}) are not run: the test run is that build. Waits are shortened (PT20M to PT2S, PT30S to PT1S).
 */
final class Pipelines {

    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern EXPRESSION = Pattern.compile("\\$\\{\\{\\s*([^}]+?)\\s*}}");

    /** What one step (or job) printed and its exit code. */
    record Step(String name, int code, String output) {
    }

    private Pipelines() {
    }

    /** A step that builds, which the test run stands for. */
    static boolean builds(String script) {
        return script.contains("./mvnw") || script.contains("bench/run");
    }

    static String shortened(String script) {
        return script.replace("PT20M", "PT2S").replace("PT30S", "PT1S");
    }

    static List<Step> github(Path workspace, Map<String, String> expressions, Map<String, String> runner)
            throws Exception {
        return github(workspace, expressions, runner, (step, env) -> {
        });
    }

    /** The same, with {@code after} told each step's name and the job's environment once the step has run. */
    @SuppressWarnings("unchecked")
    static List<Step> github(Path workspace, Map<String, String> expressions, Map<String, String> runner,
            BiConsumer<String, Map<String, String>> after) throws Exception {
        Map<String, Object> workflow = (Map<String, Object>) yaml().load(
                Files.readString(ROOT.resolve("docs/pipelines/github-actions.yml")));
        Map<String, Object> job = (Map<String, Object>) ((Map<String, Object>) workflow.get("jobs")).get("release");
        Map<String, String> env = new LinkedHashMap<>(runner);
        ((Map<String, Object>) job.get("env")).forEach((k, v) -> env.put(k, substitute(String.valueOf(v), expressions)));
        Path githubEnv = Files.createTempFile(workspace, "github-env", "");
        env.put("GITHUB_ENV", githubEnv.toString());
        List<Step> steps = new ArrayList<>();
        boolean failed = false;
        for (Object s : (List<Object>) job.get("steps")) {
            Map<String, Object> step = (Map<String, Object>) s;
            String run = (String) step.get("run");
            if (run == null || builds(run)) {
                continue;
            }
            if (failed && !"always()".equals(step.get("if"))) {
                continue;
            }
            for (String line : Files.readAllLines(githubEnv)) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    env.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
            Step result = bash(String.valueOf(step.get("name")), workspace, env,
                    List.of("bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", shortened(substitute(run, expressions))));
            steps.add(result);
            failed |= result.code() != 0;
            for (String line : Files.readAllLines(githubEnv)) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    env.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
            after.accept(result.name(), env);
        }
        return steps;
    }

    @SuppressWarnings("unchecked")
    static Step gitlab(Path workspace, Map<String, String> variables) throws Exception {
        Map<String, Object> pipeline = (Map<String, Object>) yaml().load(
                Files.readString(ROOT.resolve("docs/pipelines/gitlab-ci.yml")));
        Map<String, Object> job = (Map<String, Object>) pipeline.get("release");
        Map<String, String> env = new LinkedHashMap<>(variables);
        ((Map<String, Object>) job.get("variables")).forEach((k, v) -> {
            String value = String.valueOf(v);
            // GitLab expands a variable that names another
            env.put(k, value.startsWith("$") ? env.getOrDefault(value.substring(1), "") : value);
        });
        List<String> lines = ((List<Object>) job.get("script")).stream().map(String::valueOf).toList();
        assertThat(lines).noneMatch(Pipelines::builds);
        return bash("release", workspace, env, List.of("bash", "-eo", "pipefail", "-c",
                shortened(String.join("\n", lines))));
    }

    static String substitute(String text, Map<String, String> expressions) {
        Matcher m = EXPRESSION.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = expressions.get(m.group(1));
            assertThat(value).as("a value for ${{ " + m.group(1) + " }}").isNotNull();
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        return m.appendTail(out).toString();
    }

    private static Step bash(String name, Path workspace, Map<String, String> env, List<String> command)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(workspace.toFile()).redirectErrorStream(true);
        builder.environment().keySet().removeIf(k -> k.startsWith("ROLLOUT_"));
        builder.environment().putAll(env);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(3, TimeUnit.MINUTES)).as(name + " ends").isTrue();
        return new Step(name, process.exitValue(), output);
    }

    private static Yaml yaml() {
        return new Yaml(new SafeConstructor(new LoaderOptions()));
    }
}
