#!/usr/bin/env bash
# Re-runs the sweep behind every method's tuned defaults (docs/tuning.md): each method on each kind of
# request on the tuning forget seed; joint requests sweep the learning rate only (the weight stays at
# its default), to keep the whole sweep under an hour on 2 cores. Writes docs/tuning/<method>-<kind>.json.
set -euo pipefail
cd "$(dirname "$0")/.."
out=docs/tuning
mkdir -p "$out"
for target in person event; do
  for method in po ga gd kl dpo npo simnpo rmu siu; do
    npx pebench tune --method "$method" --target "$target" --format json --out "$out/$method-$target.json"
  done
done
for method in gd kl npo; do
  for bgd in "" "--bgd"; do
    kind=both${bgd:+-bgd}
    npx pebench tune --method "$method" --target both $bgd --lr-only --format json --out "$out/$method-$kind.json"
  done
done
