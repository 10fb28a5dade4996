package dev.rollout.cli;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.stream.Stream;

/** Globs as a shell user writes them, for report files: {@code target/surefire-reports/*.xml}, {@code **}/x.json. */
public final class Globs {

    private Globs() {
    }

    /**
     * The files a glob names, sorted: {@code *} within a directory, {@code **} across directories. The walk starts at
     * the glob's longest directory without a wildcard, so that a glob under target/ does not read the whole tree.
     */
    public static List<Path> expand(Path dir, String glob) throws IOException {
        Path pattern = dir.resolve(glob).normalize();
        String text = pattern.toString();
        int wildcard = indexOfWildcard(text);
        if (wildcard < 0) {
            return Files.isRegularFile(pattern) ? List.of(pattern) : List.of();
        }
        int slash = text.lastIndexOf('/', wildcard);
        Path start = slash <= 0 ? Path.of(slash == 0 ? "/" : ".") : Path.of(text.substring(0, slash));
        if (!Files.isDirectory(start)) {
            return List.of();
        }
        String matchable = slash < 0 ? "./" + text : text;
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + matchable);
        // without **, a glob names files a fixed number of directories below its start: walk no deeper
        String rest = slash < 0 ? text : text.substring(slash + 1);
        int depth = rest.contains("**") ? Integer.MAX_VALUE : (int) rest.chars().filter(c -> c == '/').count() + 1;
        try (Stream<Path> walk = Files.walk(start, depth)) {
            return walk.filter(Files::isRegularFile).filter(matcher::matches).sorted().toList();
        }
    }

    private static int indexOfWildcard(String text) {
        for (int i = 0; i < text.length(); i++) {
            if ("*?[{".indexOf(text.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }
}
