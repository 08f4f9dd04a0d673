package tsl.linker.cuda;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import jcuda.nvrtc.JNvrtc;
import jcuda.nvrtc.nvrtcProgram;
import tsl.compile.Config;
import tsl.graph.TslException;

/**
 * CUDA C → PTX. Uses NVRTC when JCuda's binding loads (it needs {@code libnvrtc.so.12}),
 * else {@code nvcc -ptx} (from PATH or /usr/local/cuda/bin). PTX is cached on disk under a
 * hash of the source, the target and the compiler: the directory is private (0700) and
 * entries are written to a temporary file and renamed into place, so concurrent processes
 * never read a half-written file.
 */
public final class PtxCompiler {
    private static final Object PROBE = new Object();
    private static Boolean nvrtcLoads;

    private final int computeCapability;

    /** @param computeCapability e.g. 90 for an H100; PTX for it is JIT-compiled by the driver */
    public PtxCompiler(int computeCapability) {
        this.computeCapability = computeCapability;
    }

    /** Which compiler {@link #ptx} uses now: "nvrtc (path)", "nvrtc (JCuda)", "nvcc (path)" or null. */
    public static String compilerName() {
        Nvrtc n = ffmNvrtcFailed ? null : Nvrtc.get();
        if (n != null) {
            return "nvrtc (" + n.library + ")";
        }
        if (nvrtcAvailable()) {
            return "nvrtc (JCuda)";
        }
        String nvcc = findNvcc();
        return nvcc == null ? null : "nvcc (" + nvcc + ")";
    }

    public byte[] ptx(String source) {
        String tool = compilerName();
        if (tool == null) {
            throw new TslException("RuntimeError", "no CUDA compiler: no libnvrtc.so was found and nvcc was found"
                    + " neither on PATH nor in /usr/local/cuda/bin");
        }
        Path dir = cacheDir();
        String key = hash(source + "\0" + computeCapability + "\0" + tool.substring(0, tool.indexOf(' ')));
        Path cached = dir.resolve(key + ".ptx");
        try {
            if (Files.isRegularFile(cached)) {
                return Files.readAllBytes(cached);
            }
            byte[] ptx = compile(tool, source, dir);
            Path tmp = Files.createTempFile(dir, key, ".tmp");
            Files.write(tmp, ptx);
            try {
                Files.move(tmp, cached, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, cached, StandardCopyOption.REPLACE_EXISTING);
            }
            return ptx;
        } catch (IOException e) {
            throw new TslException("RuntimeError", "CUDA kernel cache " + dir + ": " + e, null, e);
        }
    }

    private static volatile boolean ffmNvrtcFailed;

    private byte[] compile(String tool, String source, Path dir) throws IOException {
        if (tool.startsWith("nvrtc (JCuda")) {
            return nvrtc(source);
        }
        if (tool.startsWith("nvrtc")) {
            try {
                return Nvrtc.get().compile(source, List.of("--gpu-architecture=" + arch()));
            } catch (IllegalStateException e) {
                // the library misbehaved (not a kernel error): use nvcc from now on, if there is one
                ffmNvrtcFailed = true;
                String nvcc = findNvcc();
                if (nvcc == null) {
                    throw new TslException("RuntimeError", "NVRTC failed (" + e.getMessage() + ") and nvcc was not found");
                }
                return nvcc(nvcc, source, dir);
            }
        }
        return nvcc(tool.substring("nvcc (".length(), tool.length() - 1), source, dir);
    }

    private String arch() {
        return "compute_" + computeCapability;
    }

    /** Probes JCuda's NVRTC binding once; a missing libnvrtc is a LinkageError, remembered. */
    static boolean nvrtcAvailable() {
        synchronized (PROBE) {
            if (nvrtcLoads == null) {
                try {
                    int[] major = new int[1];
                    int[] minor = new int[1];
                    JNvrtc.nvrtcVersion(major, minor);
                    nvrtcLoads = true;
                } catch (LinkageError | RuntimeException e) {
                    nvrtcLoads = false;
                }
            }
            return nvrtcLoads;
        }
    }

    private byte[] nvrtc(String source) {
        nvrtcProgram prog = new nvrtcProgram();
        JNvrtc.nvrtcCreateProgram(prog, source, "tsl_kernel.cu", 0, null, null);
        try {
            String[] opts = {"--gpu-architecture=" + arch(), "-default-device"};
            int rc = JNvrtc.nvrtcCompileProgram(prog, opts.length, opts);
            if (rc != 0) {
                String[] log = new String[1];
                JNvrtc.nvrtcGetProgramLog(prog, log);
                throw compileError(log[0], source);
            }
            String[] ptx = new String[1];
            JNvrtc.nvrtcGetPTX(prog, ptx);
            return ptx[0].getBytes(StandardCharsets.US_ASCII);
        } finally {
            JNvrtc.nvrtcDestroyProgram(prog);
        }
    }

    private byte[] nvcc(String nvcc, String source, Path dir) throws IOException {
        Path work = Files.createTempDirectory(dir, "nvcc");
        try {
            Path cu = work.resolve("k.cu");
            Path out = work.resolve("k.ptx");
            Files.writeString(cu, source);
            List<String> cmd = new ArrayList<>(List.of(nvcc, "-ptx", "-O3", "-arch=" + arch(), "-o", out.toString(), cu.toString()));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(300, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new TslException("RuntimeError", "nvcc timed out");
            }
            if (p.exitValue() != 0) {
                throw compileError(log, source);
            }
            return Files.readAllBytes(out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TslException("RuntimeError", "interrupted while compiling a CUDA kernel");
        } finally {
            try (var files = Files.list(work)) {
                for (Path f : files.toList()) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(work);
        }
    }

    private static TslException compileError(String log, String source) {
        // a generated kernel that does not compile is a TSL bug: show enough to report it
        return new TslException("RuntimeError", "CUDA kernel compilation failed:\n" + log + "\n--- source ---\n" + source);
    }

    /** nvcc from PATH, else the default toolkit location; null when neither exists. */
    public static String findNvcc() {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String d : path.split(":")) {
                if (!d.isEmpty() && Files.isExecutable(Path.of(d, "nvcc"))) {
                    return Path.of(d, "nvcc").toString();
                }
            }
        }
        Path std = Path.of("/usr/local/cuda/bin/nvcc");
        return Files.isExecutable(std) ? std.toString() : null;
    }

    /** {@code cuda.cache} flag, else $TSL_CUDA_CACHE, else ~/.cache/tsl/cuda; created private. */
    static Path cacheDir() {
        String configured = Config.get("cuda.cache");
        if (configured == null) {
            configured = System.getenv("TSL_CUDA_CACHE");
        }
        Path dir = configured != null ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".cache", "tsl", "cuda");
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir);
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            }
            return dir;
        } catch (IOException | UnsupportedOperationException e) {
            throw new TslException("RuntimeError", "cannot create the CUDA kernel cache " + dir + ": " + e);
        }
    }

    static String hash(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 20);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
