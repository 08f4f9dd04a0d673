#!/usr/bin/env bash
# Times the fast_run optimizer on deep MLP graphs (see RewriteBench.java).
# Needs the backend built: mvn -o -q -B -DskipTests package (from the repository root).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
java_home="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
"$java_home/bin/javac" -d "$out" -cp "$root/backend/target/classes" "$here/RewriteBench.java"
"$java_home/bin/java" -Xss16m -cp "$out:$root/backend/target/classes" RewriteBench "$@"
