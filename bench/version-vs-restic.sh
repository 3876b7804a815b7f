#!/usr/bin/env bash
# Versioning against restic, side by side on the same machine and files (issue 3):
#   1. `cairn import coco` + `cairn version create`   vs  `restic backup` of the folder (first snapshot)
#   2. change 50 images and 500 labels, then `cairn version create`  vs  a second `restic backup`
# The edit step itself is not timed (in Cairn it is the user's edits in the UI/API; for restic, files on disk).
# Prints each run and the medians.
#
#   bench/version-vs-restic.sh [RUNS] [DATA]   (default 3 runs; DATA: a folder made by ../shared/tools/gen_images.py,
#                                              default bench/data/img5k as bench/import-vs-restic.sh makes it)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
RUNS="${1:-3}"
DATA="$(realpath -m "${2:-$ROOT/bench/data/img5k}")"
WORK="${TMPDIR:-/tmp}/cairn-version-bench"
if [ ! -f "$DATA/annotations.json" ]; then
  /usr/bin/python3 "$ROOT/../shared/tools/gen_images.py" "$ROOT/../shared/data/tiny-coco/val2017" "$DATA" --count 5000 --seed 1 --size 640
fi
"$ROOT/cairn" --help >/dev/null   # the launcher's builds (full CLI, native front), made once outside the timings
dotnet build -c Release "$ROOT/bench/Cairn.Bench.Versions" >/dev/null
# Every Cairn command as a user types it: through the launcher, its native front, and the full CLI where that runs it.
CLI="$ROOT/cairn"
# Every run writes into folders of its own, deleted only at the end: ext4 does not reuse inodes freed in the last
# minute or so, and creating thousands of files right after deleting thousands is several times slower (a benchmark
# artefact found in bench/import-vs-restic.sh).
if [ -d "$WORK" ]; then rm -rf "$WORK"; sync; sleep 90; fi
mkdir -p "$WORK"
EDIT="dotnet $ROOT/bench/Cairn.Bench.Versions/bin/Release/net10.0/Cairn.Bench.Versions.dll edit"
export RESTIC_PASSWORD=bench
t() { /usr/bin/time -f "%e" -o "$WORK/time" "$@" >/dev/null 2>"$WORK/err" || { cat "$WORK/err"; exit 1; }; cat "$WORK/time"; }
declare -a C1 R1 C2 R2 A1 A2
for i in $(seq 1 "$RUNS"); do
  R="$WORK/run-$i"; mkdir -p "$R"
  cp -r "$DATA" "$R/data"; sync
  restic init -q -r "$R/restic" >/dev/null
  a=$(t $CLI import coco "$R/data" --project bench --home "$R/home")
  b=$(t $CLI version create bench --home "$R/home")
  c1=$(echo "$a + $b" | bc)
  r1=$(t restic -q -r "$R/restic" backup "$R/data")
  $EDIT "$R/home" bench "$R/data" 50 500
  c2=$(t $CLI version create bench --home "$R/home")
  r2=$(t restic -q -r "$R/restic" backup "$R/data")
  # The same two versions through the running server (POST /api/v1/projects/{id}/versions, as the web UI does):
  # whole requests, no process start. Same data, a home of its own, the same edit.
  cp -r "$DATA" "$R/data-api"; sync
  a2=$(t $CLI import coco "$R/data-api" --project bench --home "$R/home-api")
  PORT=$((5300 + i))
  $CLI serve --home "$R/home-api" --urls "http://127.0.0.1:$PORT" >"$R/serve.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/api/v1/projects" >/dev/null && break; sleep 0.1; done
  post() { curl -sf -o /dev/null -w "%{time_total}" -X POST -H 'Content-Type: application/json' -d '{}' "http://127.0.0.1:$PORT/api/v1/projects/1/versions"; }
  v1=$(post)
  $EDIT "$R/home-api" bench "$R/data-api" 50 500
  v2=$(post)
  kill "$SERVER"; wait "$SERVER" 2>/dev/null || true
  echo "run $i: first: cairn import ${a}s + version ${b}s = ${c1}s, restic ${r1}s; second: cairn version ${c2}s, restic ${r2}s; server API: version 1 ${v1}s (after import ${a2}s), version 2 ${v2}s (load $(cut -d' ' -f1 /proc/loadavg))"
  C1+=("$c1"); R1+=("$r1"); C2+=("$c2"); R2+=("$r2"); A1+=("$(echo "$a2 + $v1" | bc)"); A2+=("$v2")
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
m1=$(median "${C1[@]}"); n1=$(median "${R1[@]}"); m2=$(median "${C2[@]}"); n2=$(median "${R2[@]}")
echo "median first: cairn ${m1}s, restic ${n1}s, cairn/restic = $(echo "scale=3; $m1/$n1" | bc) (target <= 0.333)"
a1=$(median "${A1[@]}"); a2=$(median "${A2[@]}")
rm -rf "$WORK"
echo "median through the server: first (CLI import + POST version) ${a1}s, cairn/restic = $(echo "scale=3; $a1/$n1" | bc); second (POST version) ${a2}s, cairn/restic = $(echo "scale=3; $a2/$n2" | bc) (targets <= 0.333, <= 0.100)"
echo "median second: cairn ${m2}s, restic ${n2}s, cairn/restic = $(echo "scale=3; $m2/$n2" | bc) (target <= 0.100)"
