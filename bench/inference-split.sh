#!/usr/bin/env bash
# Preprocess / inference / postprocess split of the shapes model on shapes-val at batch 8 (docs/benchmarks.md).
# Runs the harness RUNS times (default 5) and prints, per stage, the median over runs of each run's mean and min
# milliseconds per image; extra arguments go to the harness (e.g. --intra-threads 1 --pre-threads 2).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
data=${CAIRN_SHARED_DATA:-$root/../shared/data}
runs=${RUNS:-5}
dotnet build -c Release "$root/bench/Cairn.Inference.Bench" >/dev/null
bin="$root/bench/Cairn.Inference.Bench/bin/Release/net10.0/Cairn.Inference.Bench.dll"
out=$(mktemp)
for _ in $(seq "$runs"); do
  dotnet "$bin" "$data/models/shapes-det.onnx" "$data/models/shapes-val/images" --iterations 40 "$@" >"$out.run"
  grep -m1 '^model' "$out.run" >"$out.head"
  awk -F'|' '$1+0==8 { gsub(/ /, "", $2); print $2, $3+0, $4+0, $5+0, $6+0 }' "$out.run" >>"$out"
  awk '/^stream/ { print "stream", $8 }' "$out.run" >>"$out"
done
cat "$out.head"
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
echo "batch 8, median of $runs runs, ms per image:"
for stat in mean min; do
  d=$(awk -v s=$stat '$1 == s { print $2 }' "$out" | median)
  p=$(awk -v s=$stat '$1 == s { print $3 }' "$out" | median)
  i=$(awk -v s=$stat '$1 == s { print $4 }' "$out" | median)
  q=$(awk -v s=$stat '$1 == s { print $5 }' "$out" | median)
  awk -v s=$stat -v d="$d" -v p="$p" -v i="$i" -v q="$q" 'BEGIN {
    printf "%-5s decode %.3f | pre %.3f | infer %.3f | post %.3f | pre+post %.1f%% | pipeline/bare-ORT %.3f | %.0f images/s\n",
      s, d, p, i, q, 100 * (p + q) / (p + i + q), (p + i + q) / i, 1000 / (p + i + q) }'
done
echo "stream (decode overlapped, batch 8): $(awk '$1 == "stream" { print $2 }' "$out" | median) images/s"
rm -f "$out" "$out.run" "$out.head"
