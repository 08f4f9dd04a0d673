#!/usr/bin/env bash
# Runs CallBench.java against this checkout's backend build: bench/callpath/call-bench.sh [linker] [threads]
# Extra JVM flags (a profiler agent, -XX:+UseParallelGC ...) go in JAVA_OPTS.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
: "${JAVA_HOME:=/usr/lib/jvm/temurin-25-jdk-amd64}"
cp="$here/backend/target/classes:$(ls ~/.m2/repository/org/bytedeco/openblas/0.3.31-1.5.13/*.jar | tr '\n' ':')"
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED ${JAVA_OPTS:-} -cp "$cp" "$here/bench/callpath/CallBench.java" "$@"
