package dev.rollout.platform.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The class-data archive is shared by the six services: each class path starts with the jars they all have, in one
 * order (the JDK maps an archive only under the class path it was written for, or one that extends it).
 */
class ClassDataSharingTest {

    @TempDir
    Path directory;

    @Test
    void everyServiceStartsItsClassPathWithTheSharedJarsAndRecordsItsClassesUntilTheArchiveExists() throws Exception {
        Map<PlatformService, List<String>> dependencies = new EnumMap<>(PlatformService.class);
        for (PlatformService service : PlatformService.values()) {
            List<String> jars = new ArrayList<>();
            jars.add(jar("own-" + service.module() + ".jar"));
            jars.addAll(List.of(jar("spring-core.jar"), jar("tomcat.jar")));
            dependencies.put(service, jars);
        }
        ClassDataSharing sharing = new ClassDataSharing(directory, dependencies);
        Path classes = directory.resolve("classes");

        for (PlatformService service : PlatformService.values()) {
            assertThat(sharing.classpath(service, classes).split(File.pathSeparator)).containsExactly(
                    jar("spring-core.jar"), jar("tomcat.jar"), jar("own-" + service.module() + ".jar"), classes.toString());
        }
        assertThat(sharing.ready()).isFalse();
        assertThat(sharing.jvmOptions(PlatformService.PHASE_ENGINE))
                .containsExactly("-XX:DumpLoadedClassList=" + directory.resolve("phase-engine.classlist"));

        Files.createFile(sharing.archive());
        assertThat(sharing.jvmOptions(PlatformService.PHASE_ENGINE))
                .containsExactly("-XX:SharedArchiveFile=" + sharing.archive(), "-Xshare:auto");
        // another build of a shared jar is another archive
        Files.writeString(Path.of(jar("tomcat.jar")), "rebuilt");
        assertThat(new ClassDataSharing(directory, dependencies).archive()).isNotEqualTo(sharing.archive());
    }

    private String jar(String name) throws Exception {
        Path jar = directory.resolve(name);
        if (!Files.exists(jar)) {
            Files.writeString(jar, name);
        }
        return jar.toString();
    }
}
