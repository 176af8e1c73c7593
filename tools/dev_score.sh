#!/usr/bin/env bash
# Extract every dev set in ../shared/eval/dev and score it with the shared scorer.
# Usage: tools/dev_score.sh [OUTDIR]   (default /tmp/rasad-dev)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
dev="$here/../shared/eval/dev"
out="${1:-/tmp/rasad-dev}"
mkdir -p "$out"
cat "$dev"/{seed,news,news2,news3}.articles.jsonl > "$out/all.articles.jsonl"
cat "$dev"/{seed,news,news2,news3}.gold.jsonl > "$out/all.gold.jsonl"
rasad extract "$out/all.articles.jsonl" -o "$out/all.pred.jsonl"
python3 "$here/../shared/eval/score.py" "$out/all.gold.jsonl" "$out/all.pred.jsonl" \
    --articles "$out/all.articles.jsonl" > "$out/score.txt"
python3 "$here/../shared/eval/score.py" "$out/all.gold.jsonl" "$out/all.pred.jsonl" --diff \
    > "$out/diff.txt" || true
cat "$out/score.txt"
