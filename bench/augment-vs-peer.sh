#!/usr/bin/env bash
# Side-by-side throughput of Cairn's augment library and the OpenCV peer (issue 8 pipeline), alternating runs so
# both see the same machine load; each run also reports process CPU seconds per image (GNU time), which a shared,
# loaded machine distorts far less than wall time. usage: bench/augment-vs-peer.sh IMAGES_DIR [N=5000] [RUNS=3]
# Images: /usr/bin/python3 ../shared/tools/gen_images.py ../shared/data/tiny-coco /tmp/aug5000 --count 5000 --seed 1
set -euo pipefail
dir=${1:?IMAGES_DIR (…/images)}; n=${2:-5000}; runs=${3:-3}
root=$(cd "$(dirname "$0")/.." && pwd)
dotnet build -c Release "$root/bench/Cairn.Bench.Augment" -v q -nologo >/dev/null
ann="$(dirname "$dir")/annotations.json"
annopt=(); [[ -f "$ann" ]] && annopt=(--annotations "$ann")
tf=$(mktemp)
for i in $(seq "$runs"); do
  out=$(/usr/bin/time -o "$tf" -f "%U %S" /usr/bin/python3 "$root/../shared/tools/aug_peer.py" "$dir" "$n")
  echo "peer:  $out, process cpu $(awk -v n="$n" '{printf "%.2f", ($1+$2)*1000/n}' "$tf") ms/image"
  out=$(/usr/bin/time -o "$tf" -f "%U %S" dotnet "$root/bench/Cairn.Bench.Augment/bin/Release/net10.0/Cairn.Bench.Augment.dll" "$dir" "$n" "${annopt[@]}" --runs 1 | grep '^run')
  echo "cairn: $out, process cpu $(awk -v n="$n" '{printf "%.2f", ($1+$2)*1000/n}' "$tf") ms/image"
done
rm -f "$tf"
