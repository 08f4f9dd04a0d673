#!/usr/bin/env bash
# Runs ConvBench.java against this checkout's backend build: bench/conv/java-bench.sh [linkers] [reps]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
: "${JAVA_HOME:=/usr/lib/jvm/temurin-25-jdk-amd64}"
cp="$here/backend/target/classes:$(ls ~/.m2/repository/org/bytedeco/openblas/0.3.31-1.5.13/*.jar ~/.m2/repository/org/bytedeco/javacpp/1.5.13/*.jar 2>/dev/null | tr '\n' ':')"
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$cp" "$here/bench/conv/ConvBench.java" "$@"
