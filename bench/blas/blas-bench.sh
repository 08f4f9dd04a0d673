#!/usr/bin/env bash
# Runs BlasBench.java against this checkout's backend build, then NumPy on the same work:
# bench/blas/blas-bench.sh [sizes] [dtypes] [loop_max_n]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
: "${JAVA_HOME:=/usr/lib/jvm/temurin-25-jdk-amd64}"
cp="$here/backend/target/classes:$(ls ~/.m2/repository/org/bytedeco/openblas/0.3.31-1.5.13/*.jar | tr '\n' ':')"
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$cp" "$here/bench/blas/BlasBench.java" "$@"
python3 "$here/bench/blas/numpy_dot.py" "${1:-512,2048}" "${2:-float64,float32}"
