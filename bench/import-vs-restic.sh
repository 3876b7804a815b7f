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
# As a user types it: the launcher, whose native front runs the import (docs/architecture.md).
CLI="$ROOT/cairn"
export RESTIC_PASSWORD=bench
# ext4 avoids reusing inodes deleted in the last minute or more (recently_deleted() in its inode allocator), and
# scanning past them made every file creation ~10x dearer: deleting the previous run's 5,000-object home right
# before the next import measured the file system, not the importer. So every run writes to fresh folders, all
# are removed only at the end, and a leftover from an earlier bench is removed first with time to settle.
if [ -d "$WORK" ]; then rm -rf "$WORK"; sync; sleep 90; fi
mkdir -p "$WORK"
t() { /usr/bin/time -f "%e %M" -o "$WORK/time" "$@" >/dev/null 2>"$WORK/err" || { cat "$WORK/err"; exit 1; }; cat "$WORK/time"; }
declare -a C R G CM RM GM
for i in $(seq 1 "$RUNS"); do
  R="$WORK/run$i"; mkdir -p "$R"; sync
  restic init -q -r "$R/restic" >/dev/null
  read -r c cm < <(t $CLI import coco "$DATA" --project bench --home "$R/home")
  read -r r rm < <(t restic -q -r "$R/restic" backup "$DATA")
  cp -r "$DATA" "$R/git" && git -C "$R/git" init -q && git -C "$R/git" config user.email b@b && git -C "$R/git" config user.name b
  read -r g gm < <(t bash -c "cd '$R/git' && git add -A && git commit -qm import")
  echo "run $i: cairn ${c}s (${cm} KB)  restic ${r}s (${rm} KB)  git ${g}s (${gm} KB)"
  C+=("$c"); R+=("$r"); G+=("$g"); CM+=("$cm")
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
mc=$(median "${C[@]}"); mr=$(median "${R[@]}"); mg=$(median "${G[@]}"); mm=$(median "${CM[@]}")
rm -rf "$WORK"
echo "median: cairn import ${mc}s, restic backup ${mr}s, git add+commit ${mg}s; cairn/restic = $(echo "scale=3; $mc/$mr" | bc), cairn/git = $(echo "scale=3; $mc/$mg" | bc); cairn peak RSS ${mm} KB"
