package dev.rollout.platform.standalone;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Class data sharing for the standalone platform. Six Spring Boot services on two cores spend most of their start
 * loading and verifying the same framework classes from some 200 jars, six times. One class-data archive of the
 * classes they load from the jars they all share (the JDK's AppCDS, a static archive) lets each JVM map those classes
 * ready-made, and the six map the same read-only file.
 * <p>
 * The archive is learnt from use: a start without one records the classes each service loads
 * ({@code -XX:DumpLoadedClassList}); once the platform is up, one background process of low priority writes the
 * archive from their union, and every later start uses it. It is keyed by the shared jars and the JDK, so that a
 * build that changes neither keeps it; a stale or unreadable archive is ignored by the JVM ({@code -Xshare:auto}).
 * For the JDK to accept it, every service's class path starts with the shared jars, in the archive's order.
 */
final class ClassDataSharing {

    private final Path directory;
    private final List<String> shared;
    private final Map<PlatformService, List<String>> own = new EnumMap<>(PlatformService.class);
    private final Path archive;

    /**
     * @param directory    where the archive and the class lists are kept
     * @param dependencies each service's dependency jars, in their build order
     */
    ClassDataSharing(Path directory, Map<PlatformService, List<String>> dependencies) {
        this.directory = directory;
        Set<String> common = new LinkedHashSet<>(dependencies.values().iterator().next());
        dependencies.values().forEach(common::retainAll);
        this.shared = List.copyOf(common);
        dependencies.forEach((service, jars) -> own.put(service, jars.stream().filter(j -> !common.contains(j)).toList()));
        this.archive = directory.resolve("platform-" + key(shared) + ".jsa");
    }

    /** Whether the archive for these jars and this JDK exists. */
    boolean ready() {
        return Files.isRegularFile(archive);
    }

    Path archive() {
        return archive;
    }

    /** The service's class path: the shared jars first (the archive's prefix), then its own jars and classes. */
    String classpath(PlatformService service, Path classes) {
        List<String> entries = new ArrayList<>(shared);
        entries.addAll(own.get(service));
        entries.add(classes.toString());
        return String.join(File.pathSeparator, entries);
    }

    /** Maps the archive, or records the classes the service loads so that the archive can be written. */
    List<String> jvmOptions(PlatformService service) {
        return ready() ? List.of("-XX:SharedArchiveFile=" + archive, "-Xshare:auto")
                : List.of("-XX:DumpLoadedClassList=" + classList(service));
    }

    private Path classList(PlatformService service) {
        return directory.resolve(service.module() + ".classlist");
    }

    /**
     * Writes the archive from the class lists that the services recorded, in a background process of low priority
     * ({@code nice}); returns the process, or null when there is nothing to do. The archive appears whole or not at all.
     */
    Process writeInBackground(Consumer<String> progress) {
        if (ready()) {
            return null;
        }
        try {
            Set<String> classes = new TreeSet<>();
            for (PlatformService service : PlatformService.values()) {
                Path list = classList(service);
                if (Files.isRegularFile(list)) {
                    Files.readAllLines(list, StandardCharsets.UTF_8).stream()
                            .filter(line -> !line.isBlank() && !line.startsWith("#") && !line.startsWith("@"))
                            .map(line -> line.split(" ", 2)[0]).forEach(classes::add);
                }
            }
            if (classes.isEmpty()) {
                return null;
            }
            Path union = directory.resolve("platform.classlist");
            Files.write(union, classes, StandardCharsets.UTF_8);
            Path partial = directory.resolve(archive.getFileName() + ".partial");
            List<String> command = new ArrayList<>();
            if (new File("/usr/bin/nice").canExecute()) {
                command.addAll(List.of("/usr/bin/nice", "-n", "19"));
            }
            command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xshare:dump",
                    "-XX:SharedClassListFile=" + union, "-XX:SharedArchiveFile=" + partial, "-cp",
                    String.join(File.pathSeparator, shared)));
            Process dump = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(directory.resolve("archive.log").toFile()).start();
            dump.onExit().thenAccept(done -> {
                try {
                    if (done.exitValue() == 0 && Files.isRegularFile(partial)) {
                        Files.move(partial, archive, StandardCopyOption.ATOMIC_MOVE);
                        progress.accept("Class-data archive of " + classes.size() + " classes written to " + archive
                                + "; the next start uses it");
                    }
                    else {
                        Files.deleteIfExists(partial);
                    }
                }
                catch (IOException e) {
                    progress.accept("The class-data archive was not kept: " + e.getMessage());
                }
            });
            return dump;
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops a background write that has not finished (the platform is stopping). */
    static void stop(Process dump) {
        if (dump != null && dump.isAlive()) {
            dump.destroy();
            try {
                dump.waitFor(5, TimeUnit.SECONDS);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A digest of the shared jars (path, size, modification time) and the JDK that would read the archive. */
    private static String key(List<String> jars) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update((System.getProperty("java.vm.version") + '\n').getBytes(StandardCharsets.UTF_8));
            for (String jar : jars) {
                Path path = Path.of(jar);
                String stamp = Files.isRegularFile(path) ? Files.size(path) + ":" + Files.getLastModifiedTime(path).toMillis()
                        : "missing";
                digest.update((jar + '\n' + stamp + '\n').getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(digest.digest(), 0, 6);
        }
        catch (NoSuchAlgorithmException | IOException e) {
            throw new IllegalStateException("Cannot key the class-data archive", e);
        }
    }
}
