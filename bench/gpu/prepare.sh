#!/usr/bin/env bash
# Packs everything bench/gpu/check.sh needs on a GPU machine that has no JDK, no ~/.m2 and no
# network into one git-ignored archive, bench/gpu/dist/tsl-gpu.tar.xz (about 20 MB):
#   jre/       a jlink'ed Java 25 runtime (the modules TSL needs, nothing else)
#   lib/       every jar on the launcher's runtime classpath, TSL's own jars included; JCuda's
#              natives jar without the PTX-compiler and runtime libraries TSL does not load;
#              OpenBLAS (the native backend's) and the Graal compiler are left out
#   programs/  the conformance and seed programs from ../shared, when that folder is there
# Run it here after `mvn -o -q -B -DskipTests package`; then carry bench/gpu/dist.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
if ! "$JAVA_HOME/bin/java" -version 2>&1 | grep -q 'version "25'; then
  echo "prepare.sh: JDK 25 not found (set JAVA_HOME)" >&2; exit 2
fi
cpfile=language/target/classpath.txt
langjar=$(ls language/target/tsl-language-*.jar 2>/dev/null | head -1 || true)
if [[ ! -f $cpfile || -z $langjar ]]; then
  echo "prepare.sh: build first: mvn -o -q -B -DskipTests package" >&2; exit 2
fi
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/lib" "$stage/programs"
for jar in $(tr ':' ' ' < "$cpfile") "$langjar"; do
  # a test run writes the reactor's modules as class folders: take the module's packaged jar instead
  if [[ -d $jar && $jar == */target/classes ]]; then
    jar=$(ls "${jar%/classes}"/tsl-*.jar 2>/dev/null | grep -v -- '-tests\.jar' | head -1 || true)
  fi
  [[ -n $jar && -f $jar ]] || { echo "prepare.sh: missing $jar (rebuild)" >&2; exit 2; }
  case "$(basename "$jar")" in
    # the native backend's OpenBLAS, the Graal compiler, GraalJS (polyglot tests): not needed for the GPU check
    openblas*|javacpp*|compiler-*.jar|js-language-*|js-scriptengine-*|regex-*|icu4j-*|shadowed-icu4j-*) continue ;;
  esac
  cp "$jar" "$stage/lib/"
done
# JCuda's natives jar carries a 24 MB PTX-compiler library TSL never loads
python3 - "$stage"/lib/jcuda-natives-*.jar <<'PY'
import sys, zipfile, os
src = sys.argv[1]
tmp = src + ".tmp"
with zipfile.ZipFile(src) as zin, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zout:
    for item in zin.infolist():
        if "JNvPTXCompiler" in item.filename or "JCudaRuntime" in item.filename:
            continue
        zout.writestr(item, zin.read(item.filename))
os.replace(tmp, src)
PY
"$JAVA_HOME/bin/jlink" --add-modules java.base,java.logging,java.management,java.scripting,java.sql,jdk.jfr,jdk.management,jdk.unsupported,jdk.internal.vm.ci \
  --strip-debug --no-man-pages --no-header-files --compress=zip-0 --output "$stage/jre"
shared="$root/../shared"
for d in conformance seed-listings; do
  if [[ -d $shared/$d ]]; then
    mkdir -p "$stage/programs/$d"
    cp "$shared/$d"/*.tsl "$stage/programs/$d/" 2>/dev/null || true
  fi
done
mkdir -p bench/gpu/dist
XZ_OPT="-6 -T0" tar -cJf bench/gpu/dist/tsl-gpu.tar.xz -C "$stage" .
size=$(stat -c %s bench/gpu/dist/tsl-gpu.tar.xz)
echo "bench/gpu/dist/tsl-gpu.tar.xz: $((size / 1048576)) MiB ($(ls "$stage/lib" | wc -l) jars, $(find "$stage/programs" -name '*.tsl' | wc -l) programs)"
if (( size > 60 * 1048576 )); then
  echo "prepare.sh: the archive is over 60 MiB; it cannot be carried" >&2; exit 1
fi
