#!/usr/bin/env bash
# Creates the Python check's environment .venv-py/ (ignored by git) from python/requirements.txt
# with pip (the package index pip is configured with) and reuses it while the requirements file is
# unchanged. Needs Python 3.11 (the torch CPU wheel) with venv; when venv is missing and we are root
# on Debian, installs python3-venv with apt-get, as the Chromium step does.
# --retries 0: an index that cannot be reached (the default one, offline) is skipped at once instead
# of being retried for every package. Exit 0: ready. Exit 3: it cannot be made here (one line on stderr says why).
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=.venv-py
REQ=python/requirements.txt
skip() { echo "python-env: $1: the Python check is skipped" >&2; exit 3; }

PY=${PYTHON:-}
if [ -z "$PY" ]; then
  for candidate in python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1; then PY=$candidate; break; fi
  done
fi
[ -n "$PY" ] || skip "no python3 on PATH (install Python 3.11 with venv, or set PYTHON)"
version=$("$PY" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
[ "$version" = "3.11" ] || skip "$PY is Python $version; the pinned torch wheel needs 3.11 (set PYTHON=/path/to/python3.11)"
if ! "$PY" -c 'import venv, ensurepip' >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "python-env: installing python3-venv with apt-get ..." >&2
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv; } >/dev/null 2>&1 || true
  fi
  "$PY" -c 'import venv, ensurepip' >/dev/null 2>&1 || skip "$PY has no venv module (install python3-venv)"
fi

want=$(sha256sum "$REQ" | cut -d' ' -f1)
if [ -x "$VENV/bin/python" ] && [ "$(cat "$VENV/.requirements.sha256" 2>/dev/null)" = "$want" ]; then exit 0; fi
echo "python-env: creating $VENV from $REQ (first time: a few minutes) ..." >&2
rm -rf "$VENV"
"$PY" -m venv "$VENV"
if ! "$VENV/bin/pip" install --quiet --disable-pip-version-check --retries 0 --timeout 20 -r "$REQ" >"$VENV/pip.log" 2>&1; then
  tail -5 "$VENV/pip.log" >&2
  rm -rf "$VENV"
  skip "pip could not install $REQ (no package index reachable?)"
fi
echo "$want" > "$VENV/.requirements.sha256"
