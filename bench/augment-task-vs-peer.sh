#!/usr/bin/env bash
# Issue 8 at task level: `cairn op augment` on a project of the 5,000 generated 640-px JPEGs (decode, the pipeline,
# labels transformed, JPEG q90, hashing, object store, catalog, versioning) against the OpenCV peer on the same
# files, alternating runs. usage: bench/augment-task-vs-peer.sh [RUNS=3]  (needs python3-opencv, python3-pil)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
RUNS="${1:-3}"
DATA="$(realpath -m "$ROOT/bench/data/img5k")"
[ -f "$DATA/annotations.json" ] || /usr/bin/python3 "$ROOT/../shared/tools/gen_images.py" "$ROOT/../shared/data/tiny-coco/val2017" "$DATA" --count 5000 --seed 1 --size 640
"$ROOT/cairn" --help >/dev/null
CLI="dotnet $ROOT/artifacts/cli/cairn.dll"
HOME_DIR="${TMPDIR:-/tmp}/cairn-augment-bench"
rm -rf "$HOME_DIR"
$CLI import coco "$DATA" --project src --home "$HOME_DIR" >/dev/null
n=$(ls "$DATA/images" | wc -l)
for i in $(seq 1 "$RUNS"); do
  peer=$(/usr/bin/time -f "%e %U %S" -o /tmp/peer.time /usr/bin/python3 "$ROOT/../shared/tools/aug_peer.py" "$DATA/images" "$n")
  read -r pw pu ps < /tmp/peer.time
  /usr/bin/time -f "%e %U %S %M" -o /tmp/cairn.time $CLI op augment src --output "aug$i" --params "$ROOT/bench/augment-task-vs-peer.json" --home "$HOME_DIR" >/dev/null
  read -r cw cu cs cm < /tmp/cairn.time
  echo "run $i: peer $(echo "scale=1; $n/$pw" | bc) img/s ($peer); cairn task $(echo "scale=1; $n/$cw" | bc) img/s (${cw}s wall, $(echo "scale=2; ($cu+$cs)*1000/$n" | bc) ms CPU/img, peak RSS ${cm} KB); peer CPU $(echo "scale=2; ($pu+$ps)*1000/$n" | bc) ms/img"
done
