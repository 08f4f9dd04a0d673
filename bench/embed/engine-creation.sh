#!/usr/bin/env bash
# Cost of a javax.script engine after the first (target: < 5 ms). Builds nothing: run
# `mvn -o -q -B -DskipTests package` first. Uses the single jar (dist/target) when it is there,
# else the language module's classes and classpath. Usage: bench/embed/engine-creation.sh [N]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
java="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
lang="$root/language/target"
g="$lang/graal"
jar="$(ls "$root"/dist/target/tsl-[0-9]*.jar 2>/dev/null | head -1 || true)"
if [[ -n "$jar" ]]; then cp="$jar"; else cp="$lang/classes:$(cat "$lang/classpath.txt")"; fi
exec "$java" -XX:+UnlockExperimentalVMOptions -XX:+EnableJVMCI \
  --upgrade-module-path="$g/compiler.jar:$g/truffle-compiler.jar:$g/word.jar:$g/collections.jar" \
  --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow \
  -cp "$cp" "$root/bench/embed/EngineCreation.java" "${1:-300}"
