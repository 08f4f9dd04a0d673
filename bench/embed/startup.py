#!/usr/bin/env python3
"""Startup of `tsl -c 'print(1)'`: wall time from process start to the first printed line.

Variants (each a fresh JVM, median of N runs):
  bin/tsl            the launcher script: Graal compiler on the upgrade module path (optimizing runtime)
  jar, optimizing    java -jar dist/target/tsl-*.jar with the same compiler flags
  jar, fallback      java -jar dist/target/tsl-*.jar (interpreter-only Truffle runtime)
  jar, fallback+AOT  the same with a JDK 25 AOT cache (-XX:AOTCache), trained once here
The AOT cache cannot be combined with --upgrade-module-path (PLATFORM.md), so there is no
"optimizing + AOT" variant. Build first: mvn -o -q -B -DskipTests package.
Usage: bench/embed/startup.py [N]
"""
import glob
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
JAVA = os.path.join(os.environ.get("JAVA_HOME", "/usr/lib/jvm/temurin-25-jdk-amd64"), "bin", "java")
FLAGS = ["--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
         "-Dpolyglot.engine.WarnInterpreterOnly=false"]
PROGRAM = ["-c", "print(1)"]


def first_line_ms(cmd):
    start = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    line = p.stdout.readline()
    elapsed = (time.perf_counter() - start) * 1000
    p.wait()
    if line.strip() != b"1":
        raise SystemExit("unexpected output %r from %s" % (line, " ".join(cmd)))
    return elapsed


def measure(name, cmd, n):
    first_line_ms(cmd)  # warm the OS file cache
    runs = [first_line_ms(cmd) for _ in range(n)]
    print("%-22s median %6.0f ms   min %6.0f ms   (n=%d)" % (name, statistics.median(runs), min(runs), n))


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    jars = [j for j in glob.glob(os.path.join(ROOT, "dist", "target", "tsl-*.jar")) if "tsl-dist" not in j]
    if os.path.exists(os.path.join(ROOT, "language", "target", "classpath.txt")):
        measure("bin/tsl (optimizing)", [os.path.join(ROOT, "bin", "tsl")] + PROGRAM, n)
    if not jars:
        print("no single jar in dist/target: skipping the jar variants")
        return
    jar = jars[0]
    graal = os.path.join(ROOT, "language", "target", "graal")
    if os.path.exists(os.path.join(graal, "compiler.jar")):
        upgrade = ":".join(os.path.join(graal, j) for j in ("compiler.jar", "truffle-compiler.jar", "word.jar", "collections.jar"))
        measure("jar, optimizing", [JAVA, "-XX:+UnlockExperimentalVMOptions", "-XX:+EnableJVMCI",
                                    "--upgrade-module-path=" + upgrade] + FLAGS + ["-jar", jar] + PROGRAM, n)
    measure("jar, fallback", [JAVA] + FLAGS + ["-jar", jar] + PROGRAM, n)
    with tempfile.TemporaryDirectory() as tmp:
        cache = os.path.join(tmp, "tsl.aot")
        subprocess.run([JAVA, "-XX:AOTCacheOutput=" + cache] + FLAGS + ["-jar", jar] + PROGRAM,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        measure("jar, fallback + AOT", [JAVA, "-XX:AOTCache=" + cache] + FLAGS + ["-jar", jar] + PROGRAM, n)


if __name__ == "__main__":
    main()
