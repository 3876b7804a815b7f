#!/usr/bin/env bash
# Benchmark of `cairn eval` on the COCO-sized synthetic set of issue 4, with pycocotools and faster-coco-eval side by
# side when they can be imported. Usage: bench/eval/run.sh [RUNS]   (default 5; data is generated once under bench/data/)
#   PYTHON=/usr/bin/python3   the interpreter that runs the peers (default python3)
#   PYTHONPATH=...            where locally built peers live (docs/benchmarks.md says how they were built here)
#   CAIRN_CMD="dotnet DIR/cairn.dll"   time another build (e.g. a baseline); default: what ./cairn runs for eval, the
#                             native front (artifacts/cli-native/cairn-native) when it built, else artifacts/cli/cairn.dll
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
RUNS="${1:-5}"
DATA="${CAIRN_BENCH_DATA:-$ROOT/bench/data/eval-coco-5000}"
SHARED="$ROOT/../shared"
PY="${PYTHON:-python3}"
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

CMD="${CAIRN_CMD:-}"
if [ -z "$CMD" ]; then
  ./cairn --help > /dev/null   # builds artifacts/cli (Release) and the native front when sources changed
  CMD="dotnet artifacts/cli/cairn.dll"
  if [ -x artifacts/cli-native/cairn-native ]; then CMD=artifacts/cli-native/cairn-native; fi
fi
echo "cairn command: $CMD"
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
# The 12 COCO stats of a run's output: cairn's --json document or a peer script's line.
stats() { "$PY" -c "import json,sys; d=json.load(open(sys.argv[1])); print(json.dumps(d.get('stats') or d['coco']['stats']))" "$1"; }
same_stats() { "$PY" -c "import json,sys; a=json.loads(sys.argv[1]); b=json.loads(sys.argv[2]); print('stats equal' if len(a)==len(b) and max(abs(x-y) for x,y in zip(a,b)) < 1e-12 else 'STATS DIFFER: %s vs %s' % (a, b))" "$1" "$2"; }

# A peer (pycocotools, faster_coco_eval) when its module imports: whole process timed like cairn's.
peer() {
  local name="$1" module="$2" type="$3" dt="$4" cairn_wall="$5" cairn_stats="$6"
  if ! "$PY" -c "import $module" 2> /dev/null; then
    echo "$name $type: not importable by $PY (import $module fails), no side-by-side run"
    return
  fi
  : > "/tmp/$name-bench.$type"
  for i in $(seq "$RUNS"); do
    if ! /usr/bin/time -f "%e %M %U %S" -o /tmp/peer-eval-time "$PY" bench/eval/peer_eval.py "$module" "$DATA/gt.json" "$dt" "$type" > /tmp/peer-eval-out.json; then echo "$name $type: failed (see above)"; return; fi
    echo "$(cat /tmp/peer-eval-time) $("$PY" -c "import json; print(json.load(open('/tmp/peer-eval-out.json'))['load_s'])")" >> "/tmp/$name-bench.$type"
  done
  local wall cpu rss load
  wall=$(awk '{print $1}' "/tmp/$name-bench.$type" | median)
  cpu=$(awk '{print $3 + $4}' "/tmp/$name-bench.$type" | median)
  rss=$(awk '{print $2}' "/tmp/$name-bench.$type" | sort -g | tail -1)
  load=$(awk '{print $5}' "/tmp/$name-bench.$type" | median)
  echo "$name $type: whole process median ${wall}s wall (loading ${load}s of it), ${cpu}s CPU, peak RSS $((rss / 1024)) MiB; cairn is $("$PY" -c "print(round($wall / $cairn_wall, 1))")x faster; $(same_stats "$(stats /tmp/peer-eval-out.json)" "$cairn_stats")"
}

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
for TYPE in bbox segm; do
  DT="$DATA/dt_$TYPE.json"
  : > /tmp/cairn-eval-bench.$TYPE
  for i in $(seq "$RUNS"); do
    /usr/bin/time -f "%e %M %U %S" -o /tmp/cairn-eval-time $CMD eval --gt "$DATA/gt.json" --dt "$DT" --iou-type "$TYPE" --json > /tmp/cairn-eval-out.json 2> /tmp/cairn-eval-err
    cat /tmp/cairn-eval-time >> /tmp/cairn-eval-bench.$TYPE
  done
  WALL=$(awk '{print $1}' /tmp/cairn-eval-bench.$TYPE | median)
  CPU=$(awk '{print $3 + $4}' /tmp/cairn-eval-bench.$TYPE | median)
  RSS=$(awk '{print $2}' /tmp/cairn-eval-bench.$TYPE | sort -g | tail -1)
  CSTATS=$(stats /tmp/cairn-eval-out.json)
  INPROC=$(dotnet "$HARNESS.dll" eval "$TYPE" "$DATA/gt.json" "$DT" "$RUNS" 2> /dev/null)
  echo "cairn $TYPE: whole command median ${WALL}s wall, ${CPU}s CPU, peak RSS $((RSS / 1024)) MiB over $RUNS runs (walls: $(awk '{printf "%s ", $1}' /tmp/cairn-eval-bench.$TYPE)); load average now $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "cairn $TYPE: in-process: $INPROC"
  peer pycocotools pycocotools "$TYPE" "$DT" "$WALL" "$CSTATS"
  peer faster-coco-eval faster_coco_eval "$TYPE" "$DT" "$WALL" "$CSTATS"
done
