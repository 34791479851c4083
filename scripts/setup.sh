#!/usr/bin/env bash
# Create .venv with Python 3.10 if missing and install the pinned requirements into it.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/paths.env
if [ ! -x "$BIN/python" ]; then
  python=$(scripts/find_python.sh)
  echo "Creating $VENV with $python"
  "$python" -m venv "$VENV"
fi
if [ "$("$BIN/python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')" != "3.10" ]; then
  echo ".venv is not Python 3.10: remove it (rm -rf .venv) and run again." >&2
  exit 1
fi
echo "Installing the pinned requirements (the first time takes a few minutes)..."
"$BIN/python" -m pip install --quiet --disable-pip-version-check --upgrade 'pip<24.1'
# requirements.txt pins every package: no resolution is needed (it takes minutes), and
# `pip check` proves the set is consistent.
"$BIN/python" -m pip install --quiet --disable-pip-version-check --no-deps -r requirements.txt
"$BIN/python" -m pip check
