package tsl.linker.c;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The compiler's version line is remembered per binary, and forgotten when the binary changes. */
class CompilerIdentityTest {
    @Test
    void remembersTheVersionOfThisExactBinary(@TempDir Path dir) throws Exception {
        Path root = dir.resolve("cache");
        Path exe = dir.resolve("gcc");
        Files.writeString(exe, "compiler v1");
        assertNull(CompilerIdentity.read(root, exe));
        CompilerIdentity.write(root, exe, "gcc (Debian 12.2.0-14) 12.2.0");
        assertEquals("gcc (Debian 12.2.0-14) 12.2.0", CompilerIdentity.read(root, exe));
        // an upgrade changes the binary: size and modification time are part of the key
        Files.writeString(exe, "compiler version 2");
        Files.setLastModifiedTime(exe, FileTime.fromMillis(Files.getLastModifiedTime(exe).toMillis() + 5000));
        assertNull(CompilerIdentity.read(root, exe));
    }

    @Test
    void aDamagedEntryIsNotTrusted(@TempDir Path dir) throws Exception {
        Path root = dir.resolve("cache");
        Path exe = dir.resolve("gcc");
        Files.writeString(exe, "compiler");
        CompilerIdentity.write(root, exe, "gcc 12");
        try (var files = Files.list(root.resolve("compilers"))) {
            Path entry = files.findFirst().orElseThrow();
            Files.writeString(entry, "v1\ngcc 1"); // cut short: no final newline
        }
        assertNull(CompilerIdentity.read(root, exe));
    }

    @Test
    void resolvesACommandOnThePath() {
        Path sh = CompilerIdentity.resolve("sh");
        assertEquals(true, sh != null && Files.isExecutable(sh), "sh is on every PATH");
        assertNull(CompilerIdentity.resolve("no-such-compiler-tsl"));
    }
}
