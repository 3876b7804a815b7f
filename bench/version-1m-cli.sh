#!/usr/bin/env bash
# Issue 3's million-item targets, timed as whole CLI commands (what a user types), on a synthetic 1,000,000-item
# project made by bench/Cairn.Bench.Versions (items share 1,000 images):
#   version create with nothing changed (target < 1 s), after 1,000 items' labels changed (< 2 s), version diff of those
#   two versions (< 0.5 s), version restore (< 10 s). Peak RSS of each command. Prints every run and the medians.
#
#   bench/version-1m-cli.sh [RUNS] [ITEMS]   (default 5 runs, 1,000,000 items)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
RUNS="${1:-5}"
ITEMS="${2:-1000000}"
WORK="${TMPDIR:-/tmp}/cairn-1m-cli-bench"
"$ROOT/cairn" --help >/dev/null   # the launcher's builds, outside the timings
dotnet build -c Release "$ROOT/bench/Cairn.Bench.Versions" >/dev/null
BENCH="dotnet $ROOT/bench/Cairn.Bench.Versions/bin/Release/net10.0/Cairn.Bench.Versions.dll"
CLI="$ROOT/cairn"
HOME_DIR="$WORK/home"
if [ ! -f "$WORK/.ready-$ITEMS" ]; then
  rm -rf "$WORK"; mkdir -p "$WORK"
  echo "setting up $ITEMS items (once; kept in $WORK)..." >&2
  $BENCH setup "$HOME_DIR" "$ITEMS" >/dev/null
  touch "$WORK/.ready-$ITEMS"
fi
t() { /usr/bin/time -f "%e %M" -o "$WORK/time" "$@" >"$WORK/out" 2>"$WORK/err" || { cat "$WORK/err"; exit 1; }; cat "$WORK/time"; }
declare -a NOOP CREATE DIFF RESTORE PEAK
for i in $(seq 1 "$RUNS"); do
  n0=$(t $CLI version create big --home "$HOME_DIR")
  before=$($CLI version list big --home "$HOME_DIR" --json | python3 -c 'import json,sys; print(max(v["number"] for v in json.load(sys.stdin)["versions"]))')
  # A seed of its own per version: re-running the script on the kept home must change labels again, not repeat them.
  $BENCH relabel "$HOME_DIR" 1000 "$before" >/dev/null
  c=$(t $CLI version create big --title "1,000 labels, run $i" --home "$HOME_DIR")
  grep -q "Created version" "$WORK/out" || { echo "run $i: no version created: $(cat "$WORK/out")"; exit 1; }
  d=$(t $CLI version diff "big@$before" "big@$((before + 1))" --home "$HOME_DIR")
  changed=$(head -1 "$WORK/out" | sed -E 's/.* ([0-9]+) changed.*/\1/')
  [ "$changed" -ge 900 ] || { echo "run $i: the diff found $changed changed items, expected ~1,000: $(head -1 "$WORK/out")"; exit 1; }
  summary=$(head -1 "$WORK/out" | cut -c1-90)
  r=$(t $CLI version restore "big@$((before + 1))" --name "restored-$i" --home "$HOME_DIR")
  echo "run $i: no-change create ${n0% *} s; create after 1,000 relabels ${c% *} s; diff ${d% *} s ($summary); restore ${r% *} s; peak RSS KB: ${n0#* } / ${c#* } / ${d#* } / ${r#* }"
  NOOP+=("${n0% *}"); CREATE+=("${c% *}"); DIFF+=("${d% *}"); RESTORE+=("${r% *}"); PEAK+=("${n0#* }" "${c#* }" "${d#* }" "${r#* }")
  $CLI project delete "restored-$i" --home "$HOME_DIR" >/dev/null
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
max() { printf '%s\n' "$@" | sort -g | tail -1; }
echo "median of $RUNS, $ITEMS items, whole ./cairn commands: no-change create $(median "${NOOP[@]}") s (target < 1), create after 1,000 relabels $(median "${CREATE[@]}") s (< 2), diff $(median "${DIFF[@]}") s (< 0.5), restore $(median "${RESTORE[@]}") s (< 10); peak RSS of any command $(( $(max "${PEAK[@]}") / 1024 )) MiB"
