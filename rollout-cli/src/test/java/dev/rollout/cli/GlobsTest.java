package dev.rollout.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GlobsTest {

    @Test
    void aStarStaysInItsDirectoryAndTwoStarsCrossThem(@TempDir Path root) throws Exception {
        for (String file : new String[] { "a/target/surefire-reports/TEST-A.xml", "b/target/surefire-reports/TEST-B.xml",
                "b/target/surefire-reports/B.txt", "deep/x/target/surefire-reports/TEST-C.xml", "top.xml" }) {
            Files.createDirectories(root.resolve(file).getParent());
            Files.writeString(root.resolve(file), "x");
        }
        assertThat(Globs.expand(root, "*/target/surefire-reports/TEST-*.xml")).extracting(p -> root.relativize(p).toString())
                .containsExactly("a/target/surefire-reports/TEST-A.xml", "b/target/surefire-reports/TEST-B.xml");
        assertThat(Globs.expand(root, "**/target/surefire-reports/TEST-*.xml")).hasSize(3);
        assertThat(Globs.expand(root, "*.xml")).extracting(p -> root.relativize(p).toString()).containsExactly("top.xml");
        assertThat(Globs.expand(root, "top.xml")).hasSize(1);
        assertThat(Globs.expand(root, "missing/*.xml")).isEmpty();
        assertThat(Globs.expand(root, "nothing.xml")).isEmpty();
    }
}
