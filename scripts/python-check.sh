#!/usr/bin/env bash
# `npm run check:python`: the exported model and world checked by Python's own tools. Makes the
# environment (scripts/python-env.sh; skipped with one line where Python 3.11 with venv cannot be
# had, unless PEBENCH_REQUIRE_PYTHON=1), exports the shipped model with `pebench export --format
# pytorch` and the default world with `pebench world` into .tmp/python-check/, then runs
# python/test_pebench_export.py: PyTorch greedy tokens against `pebench ask` on fresh renders,
# onnx.checker (full check) on every shipped ONNX file, and the world in `datasets` against splits.json.
set -euo pipefail
cd "$(dirname "$0")/.."
status=0
bash scripts/python-env.sh || status=$?
if [ "$status" = 3 ]; then
  [ "${PEBENCH_REQUIRE_PYTHON:-0}" = 1 ] && { echo "python-check: PEBENCH_REQUIRE_PYTHON=1 and no Python environment" >&2; exit 1; }
  exit 0
fi
[ "$status" = 0 ] || exit "$status"
WORK=.tmp/python-check
mkdir -p "$WORK"
node bin/pebench.mjs export --model models/pebench-tiny --format pytorch --out "$WORK/pytorch" --force
node bin/pebench.mjs world --out "$WORK/world" --force 2>/dev/null
export PEBENCH_PYTORCH_DIR="$WORK/pytorch" PEBENCH_WORLD_DIR="$WORK/world"
# Offline, and every cache inside the project's ignored .tmp/.
export HF_HUB_OFFLINE=1 HF_DATASETS_OFFLINE=1 HF_HOME="$PWD/$WORK/hf-home" HF_DATASETS_CACHE="$PWD/$WORK/hf-datasets"
.venv-py/bin/python -m unittest -v python/test_pebench_export.py
