#!/usr/bin/env bash
# Benchmark of `cairn eval` on the COCO-sized synthetic set of issue 4, with pycocotools side by side when it can
# be imported. Usage: bench/eval/run.sh [RUNS]   (default 5; data is generated once under bench/data/)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
RUNS="${1:-5}"
DATA="${CAIRN_BENCH_DATA:-$ROOT/bench/data/eval-coco-5000}"
SHARED="$ROOT/../shared"
cd "$ROOT"

if [ ! -f "$DATA/dt_bbox.json" ]; then
  python3 "$SHARED/tools/gen_coco.py" "$DATA" --images 5000 --cats 80 --seed 11 --dets-per-image 100
fi

dotnet build bench/Cairn.Evaluation.Bench -c Release --nologo -v quiet -clp:ErrorsOnly
HARNESS="bench/Cairn.Evaluation.Bench/bin/Release/net10.0/Cairn.Evaluation.Bench"
if [ ! -f "$DATA/dt_segm.json" ]; then
  # pycocotools' loadRes takes RLE (not polygon) segmentation results, so the polygons become compressed RLE first.
  dotnet "$HARNESS.dll" to-rle "$DATA/gt.json" "$DATA/dt_segm_poly.json" "$DATA/dt_segm.json"
fi

./cairn --help > /dev/null   # builds artifacts/cli (Release) when sources changed
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
for TYPE in bbox segm; do
  DT="$DATA/dt_$TYPE.json"
  : > /tmp/cairn-eval-bench.$TYPE
  for i in $(seq "$RUNS"); do
    /usr/bin/time -f "%e %M %U %S" -o /tmp/cairn-eval-time dotnet artifacts/cli/cairn.dll eval --gt "$DATA/gt.json" --dt "$DT" --iou-type "$TYPE" --json > /tmp/cairn-eval-out.json
    cat /tmp/cairn-eval-time >> /tmp/cairn-eval-bench.$TYPE
  done
  WALL=$(awk '{print $1}' /tmp/cairn-eval-bench.$TYPE | median)
  CPU=$(awk '{print $3 + $4}' /tmp/cairn-eval-bench.$TYPE | median)
  RSS=$(awk '{print $2}' /tmp/cairn-eval-bench.$TYPE | sort -g | tail -1)
  INPROC=$(dotnet "$HARNESS.dll" eval "$TYPE" "$DATA/gt.json" "$DT" "$RUNS" 2> /dev/null)
  echo "cairn $TYPE: whole command median ${WALL}s wall, ${CPU}s CPU, peak RSS $((RSS / 1024)) MiB over $RUNS runs; in-process: $INPROC"
  if python3 -c "import pycocotools" 2> /dev/null; then
    : > /tmp/pycoco-bench.$TYPE
    for i in $(seq "$RUNS"); do
      python3 bench/eval/pycocotools_eval.py "$DATA/gt.json" "$DT" "$TYPE" >> /tmp/pycoco-bench.$TYPE
    done
    PW=$(python3 -c "import json,sys,statistics as s; r=[json.loads(l) for l in open('/tmp/pycoco-bench.$TYPE')]; print(s.median(x['total_s'] for x in r))")
    echo "pycocotools $TYPE: median ${PW}s; ratio $(python3 -c "print(round($PW / $WALL, 1))")x"
  else
    echo "pycocotools $TYPE: not importable here (python3 -c 'import pycocotools' fails), no side-by-side run"
  fi
done
