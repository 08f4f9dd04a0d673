#!/usr/bin/env bash
# On a GPU machine: is device=cuda right, and how fast is it?
#   1. CudaSelfCheck: ~110 graphs compiled with the jvm and the cuda linker, outputs compared
#   2. programs (bench/gpu/programs, examples, and the conformance/seed programs packed by
#      prepare.sh) run with device=cpu (jvm linker) and device=cuda, outputs compared
#   3. CudaBench: elementwise GB/s on 1e8 float32 against the card's bandwidth, an 8192² sgemm,
#      an MLP training step
#   4. the same measurements in PyTorch, when python3 can import torch
# CHECK_PARTS (comma-separated; default all four: selfcheck,programs,bench,torch) runs only some
# sections, to rerun what failed on a short device budget, e.g. CHECK_PARTS=selfcheck,bench.
# Runs from bench/gpu/dist/tsl-gpu.tar.xz (made by prepare.sh; needs no JDK, ~/.m2 or network),
# else from a local build with a JDK 25. Writes the report to $OUT/report.txt if OUT is set,
# else bench/gpu/report.txt; the full log goes beside it (check.log).
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
outdir="${OUT:-$root/bench/gpu}"
mkdir -p "$outdir"
report="$outdir/report.txt"
log="$outdir/check.log"
: > "$log"
start=$SECONDS
parts=",${CHECK_PARTS:-selfcheck,programs,bench,torch},"
want() { [[ $parts == *",$1,"* ]]; }

dist="$root/bench/gpu/dist/tsl-gpu.tar.xz"
rt=/tmp/tsl-gpu
programs=()
if [[ -f $dist ]]; then
  rm -rf "$rt"; mkdir -p "$rt"
  tar -xJf "$dist" -C "$rt" || { echo "check.sh: cannot unpack $dist" | tee "$report"; exit 2; }
  JAVA="$rt/jre/bin/java"
  CP="$rt/lib/*"
elif [[ -f language/target/classpath.txt ]] && [[ -d language/target/classes ]] \
     && java -version 2>&1 | grep -q 'version "25' \
     && tr ':' '\n' < language/target/classpath.txt | while read -r j; do [[ -e $j ]] || exit 1; done; then
  JAVA=java
  CP="language/target/classes:$(cat language/target/classpath.txt)"
else
  echo "check.sh: nothing to run: carry bench/gpu/dist (made by bench/gpu/prepare.sh on the build machine);" \
       "a local build needs JDK 25 and the jars named in language/target/classpath.txt" | tee "$report"
  exit 2
fi

# the driver library: JCuda's loader needs libcuda.so.1 on the search path; NVRTC is in the toolkit
if ! ldconfig -p 2>/dev/null | grep -q 'libcuda.so.1'; then
  for d in /usr/local/nvidia/lib64 /usr/lib/x86_64-linux-gnu /usr/local/cuda/compat /usr/lib64; do
    [[ -e $d/libcuda.so.1 ]] && export LD_LIBRARY_PATH="$d:${LD_LIBRARY_PATH:-}" && break
  done
fi
for d in /usr/local/cuda/lib64 /usr/local/cuda/targets/x86_64-linux/lib; do
  [[ -d $d ]] && export LD_LIBRARY_PATH="${LD_LIBRARY_PATH:-}:$d"
done
if ! ls /usr/local/cuda/lib64/libnvrtc.so.* > /dev/null 2>&1; then
  nvrtc=$(find /usr/local /opt -name 'libnvrtc.so.1[0-9]' 2>/dev/null | sort -r | head -1)
  [[ -n $nvrtc ]] && export LD_LIBRARY_PATH="${LD_LIBRARY_PATH:-}:$(dirname "$nvrtc")"
fi
export PATH="$PATH:/usr/local/cuda/bin"
export TSL_CUDA_CACHE=/tmp/tsl-cuda-cache
JOPTS=(--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow -Xss16m -Xmx32g
       -Dpolyglot.engine.WarnInterpreterOnly=false)

{
  echo "TSL CUDA check, $(date -u '+%Y-%m-%d %H:%M UTC')"
  gpu=$(nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>/dev/null | head -1)
  echo "GPU: ${gpu:-nvidia-smi not available}"
  case "$gpu" in
    *H200*) peak=4800 ;;
    *H100*PCIe*) peak=2000 ;;
    *H100*) peak=3350 ;;
    *A100*80GB*) peak=2039 ;;
    *A100*) peak=1555 ;;
    *) peak=0 ;;
  esac
  (( peak > 0 )) && echo "card memory bandwidth (datasheet): $peak GB/s"
  echo "java: $("$JAVA" -version 2>&1 | head -1)"
  echo
} > "$report"

echo "sections: ${CHECK_PARTS:-selfcheck,programs,bench,torch}" >> "$report"; echo >> "$report"
if want selfcheck; then
echo "== 1. self-check (cuda linker vs jvm reference)" >> "$report"
timeout 180 "$JAVA" "${JOPTS[@]}" -cp "$CP" tsl.linker.cuda.CudaSelfCheck > "$outdir/selfcheck.txt" 2>&1
rc=$?
cat "$outdir/selfcheck.txt" >> "$log"
head -1 "$outdir/selfcheck.txt" >> "$report"
tail -n +2 "$outdir/selfcheck.txt" | grep -E '^(FAIL|selfcheck:|SKIP)' | head -30 >> "$report"
(( rc == 124 )) && echo "self-check timed out after 180 s, $(grep -c '^ok ' "$outdir/selfcheck.txt") cases passed by then (see check.log)" >> "$report"
echo "($((SECONDS - start)) s so far)" >> "$report"; echo >> "$report"
fi

if want programs; then
echo "== 2. programs: device=cuda vs device=cpu (floatX=float64, numbers to 1e-6)" >> "$report"
plist=$(mktemp)
ls bench/gpu/programs/*.tsl examples/*.tsl 2>/dev/null > "$plist"
find "$rt/programs" -name '*.tsl' 2>/dev/null | sort >> "$plist"
work=$(mktemp -d)
run_one() {
  local f=$1 java=$2 cp=$3 work=$4 root=$5 name
  name=$(echo "$f" | tr '/' '_')
  # JCuda unpacks its natives into java.io.tmpdir under fixed names: one folder per JVM
  local t1 t2; t1=$(mktemp -d); t2=$(mktemp -d)
  ( cd "$(dirname "$f")" && TSL_FLAGS="device=cpu,linker=jvm,floatX=float64" timeout 120 "$java" "${@:6}" -Djava.io.tmpdir="$t1" -cp "$cp" \
      tsl.language.launcher.Main "$(basename "$f")" > "$work/$name.cpu" 2>&1 ); local c=$?
  ( cd "$(dirname "$f")" && TSL_FLAGS="device=cuda,floatX=float64" timeout 120 "$java" "${@:6}" -Djava.io.tmpdir="$t2" -cp "$cp" \
      tsl.language.launcher.Main "$(basename "$f")" > "$work/$name.cuda" 2>&1 ); local g=$?
  rm -rf "$t1" "$t2"
  # the archive leaves OpenBLAS out: the cpu side says so once, which is not a difference in results
  sed -i '/^tsl: warning: OpenBLAS could not be loaded/d' "$work/$name.cpu" "$work/$name.cuda"
  if (( c != 0 )) && grep -q 'not supported yet\|Error' "$work/$name.cpu"; then
    # the program fails on the cpu too: it says nothing about the GPU, unless the errors differ
    if python3 "$root/bench/gpu/compare.py" "$work/$name.cpu" "$work/$name.cuda" > /dev/null; then
      echo "CPU-FAILS $f"; return
    fi
  fi
  if python3 "$root/bench/gpu/compare.py" "$work/$name.cpu" "$work/$name.cuda" > "$work/$name.diff" && (( c == g )); then
    echo "PASS $f"
  else
    echo "FAIL $f (exit cpu $c, cuda $g): $(head -3 "$work/$name.diff" | tr '\n' ' ') $(grep -m1 -i 'error' "$work/$name.cuda")"
  fi
}
export -f run_one
abs_plist=$(mktemp)
while read -r f; do [[ $f = /* ]] && echo "$f" || echo "$root/$f"; done < "$plist" > "$abs_plist"
timeout 150 xargs -P 8 -I{} bash -c 'run_one "$@"' _ {} "$JAVA" "$CP" "$work" "$root" "${JOPTS[@]}" < "$abs_plist" > "$outdir/programs.txt" 2>&1
cat "$outdir/programs.txt" >> "$log"
echo "programs: $(grep -c '^PASS' "$outdir/programs.txt") passed, $(grep -c '^FAIL' "$outdir/programs.txt") failed," \
     "$(grep -c '^CPU-FAILS' "$outdir/programs.txt") fail on the cpu as well (not counted), of $(wc -l < "$abs_plist")" >> "$report"
grep '^FAIL' "$outdir/programs.txt" | sed "s|$root/||; s|$rt/||" | head -25 | cut -c1-400 >> "$report"
echo "($((SECONDS - start)) s so far)" >> "$report"; echo >> "$report"
fi

if want bench; then
echo "== 3. measurements (TSL, cuda linker)" >> "$report"
timeout 150 "$JAVA" "${JOPTS[@]}" -cp "$CP" tsl.linker.cuda.CudaBench > "$outdir/bench.txt" 2>&1
cat "$outdir/bench.txt" >> "$log"
grep -E '^([a-z_0-9]+|SKIP): ' "$outdir/bench.txt" >> "$report"
if (( peak > 0 )); then
  gbs=$(grep -m1 '^elemwise_add' "$outdir/bench.txt" | sed -E 's/.* ([0-9.]+) GB\/s.*/\1/')
  [[ -n $gbs ]] && echo "elementwise add reaches $(python3 -c "print(round(100 * $gbs / $peak))")% of the card's $peak GB/s" >> "$report"
fi
echo "($((SECONDS - start)) s so far)" >> "$report"; echo >> "$report"
fi

if want torch; then
echo "== 4. PyTorch, same work" >> "$report"
if python3 -c 'import torch; assert torch.cuda.is_available()' 2>/dev/null; then
  timeout 60 python3 bench/gpu/torch_bench.py >> "$report" 2>> "$log" || echo "torch_bench failed (see check.log)" >> "$report"
else
  echo "PyTorch with CUDA not available here" >> "$report"
fi
echo >> "$report"
fi
echo "total $((SECONDS - start)) s" >> "$report"
cat "$report"
