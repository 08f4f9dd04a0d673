#!/usr/bin/env bash
# What one JSR223 sample costs in Apache JMeter 5.6.3 (new engine per sample, fresh bindings with
# JMeter's dozen names, one cached CompiledScript shared by all threads), TSL against Groovy (JMeter's
# default JSR223 language) in the same JMeter. Needs the JMeter layout that the dist module's tests
# make: run `mvn -o -q -B package` (or at least the dist module's tests) first.
# Usage: bench/embed/jmeter-sample.sh [LOOPS per thread, default 2000] [THREADS, default 2]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
java="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
home="$root/dist/target/jmeter"
jar="$(ls "$root"/dist/target/tsl-[0-9]*.jar | head -1)"
[[ -f "$home/bin/ApacheJMeter.jar" ]] || { echo "no $home: run the dist module's tests first" >&2; exit 2; }
mkdir -p "$home/lib/junit" && cp "$jar" "$home/lib/tsl.jar"
out="$(mktemp -d)"
for lang in groovy tsl; do
  sed "s/@LANG@/$lang/; s/@LOOPS@/${1:-2000}/; s/@THREADS@/${2:-2}/" "$root/bench/embed/jmeter-sample.jmx" > "$out/$lang.jmx"
  "$java" --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow -Dtsl.allowHostAccess=true \
    -jar "$home/bin/ApacheJMeter.jar" -n -t "$out/$lang.jmx" -Jjmeter.save.saveservice.output_format=csv \
    -l "$out/$lang.csv" -j "$out/$lang.log" > "$out/$lang.out" 2>&1
  # columns: timeStamp,elapsed,label,responseCode,responseMessage,threadName,dataType,success,...
  # the first 10% of samples are warm-up (class loading, first context, JIT) and left out
  # JMeter times a sample in whole milliseconds: the mean over many samples is the useful number
  tail -n +2 "$out/$lang.csv" | awk -F, '{ print $2, ($8 == "true") }' > "$out/$lang.elapsed"
  n=$(wc -l < "$out/$lang.elapsed"); skip=$((n / 10))
  tail -n +$((skip + 1)) "$out/$lang.elapsed" | sort -n | awk -v lang=$lang -v n=$n -v ok="$(awk '{ s += $2 } END { print s }' "$out/$lang.elapsed")" \
    '{ e[NR] = $1; s += $1 } END { printf "%-6s %d samples, %d ok; after warm-up: mean %.2f ms, median %d ms, p90 %d ms\n",
                                    lang, n, ok, s / NR, e[int(NR / 2) + 1], e[int(NR * 0.9) + 1] }'
  grep "summary =" "$out/$lang.out" | tail -1 | sed "s/^/       /"
done
[[ -n "${KEEP:-}" ]] && echo "kept $out" || rm -rf "$out"
