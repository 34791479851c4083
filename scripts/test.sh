#!/usr/bin/env bash
# Every check of the project, in CI's order: lint, types, data, training, conversations, pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
MODEL=models/upgrade-helpdesk.tar.gz
step() { printf '\n== %s\n' "$*"; }

step "lint and types"
"$BIN/ruff" check actions tests scripts
"$BIN/mypy"

step "training data"
"$BIN/rasa" data validate --fail-on-warnings

step "training (skipped when nothing changed)"
make --no-print-directory train

step "conversation tests"
"$BIN/rasa" test core --model "$MODEL" --stories tests --out results/core --fail-on-prediction-errors

step "pytest"
"$BIN/pytest"
