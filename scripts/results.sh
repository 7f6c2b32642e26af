#!/usr/bin/env bash
# Regenerates what docs/results.md quotes: the full bench on the test forget seeds (about 18 minutes
# on 2 cores), as Markdown tables, JSON tables, every run's details and the trade-off plots, then the
# comparisons behind the findings' verdicts. docs/results.md's prose is written from these by hand.
set -euo pipefail
cd "$(dirname "$0")/.."
npx pebench bench --out docs/results-tables.md --json docs/results.json --details docs/results-details.json --plots docs/plots "$@"
npx tsx scripts/findings.ts docs/results.json > docs/results-findings.txt
echo "wrote docs/results-tables.md, docs/results.json, docs/results-details.json, docs/plots/, docs/results-findings.txt"
