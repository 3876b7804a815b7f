#!/usr/bin/env bash
# Import speed, side by side on the same machine and files: `cairn import coco` against `restic backup` and
# `git add -A && git commit` of the same folder. Prints each run and the medians; peak RSS from /usr/bin/time.
#
#   bench/import-vs-restic.sh [RUNS]        (default 5; needs restic, git, python3 with PIL: apt-get install restic python3-pil)
#
# Data: 5,000 distinct ~70 KB JPEGs with ~20,000 COCO boxes, made once by ../shared/tools/gen_images.py from the
# tiny-coco photos into bench/data/img5k (ignored by git).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
RUNS="${1:-5}"
DATA="$(realpath -m "$ROOT/bench/data/img5k")"
WORK="${TMPDIR:-/tmp}/cairn-import-bench"
if [ ! -f "$DATA/annotations.json" ]; then
  /usr/bin/python3 "$ROOT/../shared/tools/gen_images.py" "$ROOT/../shared/data/tiny-coco/val2017" "$DATA" --count 5000 --seed 1 --size 640
fi
"$ROOT/cairn" --help >/dev/null   # build once, outside the timings
CLI="dotnet $ROOT/artifacts/cli/cairn.dll"
export RESTIC_PASSWORD=bench
mkdir -p "$WORK"
t() { /usr/bin/time -f "%e %M" -o "$WORK/time" "$@" >/dev/null 2>"$WORK/err" || { cat "$WORK/err"; exit 1; }; cat "$WORK/time"; }
declare -a C R G CM RM GM
for i in $(seq 1 "$RUNS"); do
  rm -rf "$WORK/home" "$WORK/restic" "$WORK/git"; sync
  restic init -q -r "$WORK/restic" >/dev/null
  read -r c cm < <(t $CLI import coco "$DATA" --project bench --home "$WORK/home")
  read -r r rm < <(t restic -q -r "$WORK/restic" backup "$DATA")
  cp -r "$DATA" "$WORK/git" && git -C "$WORK/git" init -q && git -C "$WORK/git" config user.email b@b && git -C "$WORK/git" config user.name b
  read -r g gm < <(t bash -c "cd '$WORK/git' && git add -A && git commit -qm import")
  echo "run $i: cairn ${c}s (${cm} KB)  restic ${r}s (${rm} KB)  git ${g}s (${gm} KB)"
  C+=("$c"); R+=("$r"); G+=("$g"); CM+=("$cm")
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
mc=$(median "${C[@]}"); mr=$(median "${R[@]}"); mg=$(median "${G[@]}"); mm=$(median "${CM[@]}")
echo "median: cairn import ${mc}s, restic backup ${mr}s, git add+commit ${mg}s; cairn/restic = $(echo "scale=3; $mc/$mr" | bc), cairn/git = $(echo "scale=3; $mc/$mg" | bc); cairn peak RSS ${mm} KB"
