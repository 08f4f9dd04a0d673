package tsl.linker.c;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where OpenBLAS is extracted: once per user, shared by every cachedir, with fallbacks. */
class OpenBlasTest {
    @TempDir
    Path tmp;

    private static final String DIR = "openblas-" + OpenBlas.VERSION;

    @Test
    void extractsOncePerUserWhateverTheCacheDirectory() throws IOException {
        Path user = tmp.resolve("user/tsl");
        Path first = OpenBlas.locate(user, tmp.resolve("cacheA"));
        assertEquals(user.resolve(DIR), first);
        assertTrue(Files.isRegularFile(first.resolve("libopenblas.so.0")));
        assertTrue(Files.isRegularFile(first.resolve("include/cblas.h")));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(user)));
        // a second process with another (empty) cache directory finds it and copies nothing
        FileTime stamp = FileTime.fromMillis(1_000_000L);
        Files.setLastModifiedTime(first.resolve("libopenblas.so.0"), stamp);
        Path second = OpenBlas.locate(user, tmp.resolve("cacheB"));
        assertEquals(first, second);
        assertEquals(stamp, Files.getLastModifiedTime(second.resolve("libopenblas.so.0")));
        assertFalse(Files.exists(tmp.resolve("cacheA").resolve(DIR)));
        assertFalse(Files.exists(tmp.resolve("cacheB").resolve(DIR)));
    }

    @Test
    void thePreloadFindsWhatLocateWouldFindButNeverExtracts() throws IOException {
        Path user = tmp.resolve("user");
        Path cache = tmp.resolve("cache");
        assertNull(OpenBlas.extractedDirectory(user, cache));
        assertFalse(Files.exists(user), "nothing extracted, no directory made");
        assertFalse(Files.exists(cache));
        Path shared = OpenBlas.extract(user.resolve(DIR));
        assertEquals(shared, OpenBlas.extractedDirectory(user, cache));
        assertEquals(OpenBlas.locate(user, cache), OpenBlas.extractedDirectory(user, cache));
        Path own = OpenBlas.extract(cache.resolve(DIR));
        assertEquals(own, OpenBlas.extractedDirectory(user, cache), "the cache directory's own copy first, as locate");
        assertEquals(OpenBlas.locate(user, cache), OpenBlas.extractedDirectory(user, cache));
        Files.delete(own.resolve("complete"));
        assertEquals(shared, OpenBlas.extractedDirectory(user, cache), "an incomplete extraction is passed over");
    }

    @Test
    void anExtractionInTheCacheDirectoryIsUsedAsItIs() throws IOException {
        Path cache = tmp.resolve("cache");
        Path own = OpenBlas.extract(cache.resolve(DIR));
        assertEquals(own, OpenBlas.locate(tmp.resolve("user"), cache));
        assertFalse(Files.exists(tmp.resolve("user").resolve(DIR)));
    }

    @Test
    void anIncompleteSharedExtractionIsRedone() throws IOException {
        Path user = tmp.resolve("user");
        Files.createDirectories(user.resolve(DIR));
        Files.writeString(user.resolve(DIR).resolve("libopenblas.so.0"), "half a file"); // killed mid-copy, no marker
        Path dir = OpenBlas.locate(user, tmp.resolve("cache"));
        assertEquals(user.resolve(DIR), dir);
        assertTrue(OpenBlas.isComplete(dir));
        assertTrue(Files.size(dir.resolve("libopenblas.so.0")) > 1_000_000);
    }

    @Test
    void anUnwritableUserDirectoryFallsBackToTheCacheDirectory() throws IOException {
        Path user = tmp.resolve("not-a-directory");
        Files.writeString(user, "x"); // the per-user root cannot be created
        Path cache = tmp.resolve("cache");
        Path dir = OpenBlas.locate(user, cache);
        assertEquals(cache.resolve(DIR), dir);
        assertTrue(OpenBlas.isComplete(dir));
    }
}
