#!/usr/bin/env bash
# Every check of the project, in CI's order: lint, types, data, training, conversations, pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/paths.env
MODEL=models/upgrade-helpdesk.tar.gz
ENGLISH=models/upgrade-helpdesk-en.tar.gz  # its English NLU (english/config.yml)
step() { printf '\n== %s\n' "$*"; }

step "lint and types"
"$BIN/ruff" check  # what both check: pyproject.toml
"$BIN/mypy"

step "training data"
"$BIN/rasa" data validate --fail-on-warnings

step "training (skipped when nothing changed)"
scripts/train.sh  # `make test` has already set up

step "conversation tests"
"$BIN/python" -m rasa_server test core --model "$MODEL" --stories tests --out results/core --e2e \
  --fail-on-prediction-errors  # with the patches the servers run

step "NLU on the held-out set"
"$BIN/rasa" test nlu --model "$MODEL" --nlu tests/nlu --out results/nlu
"$BIN/python" scripts/check_nlu_scores.py results/nlu

step "English NLU on its held-out set"
"$BIN/rasa" test nlu --model "$ENGLISH" --nlu tests/nlu_en --out results/nlu_en
"$BIN/python" scripts/check_nlu_scores.py results/nlu_en

step "held-out conversations (black-box over REST, clock at the day they were written for)"
"$BIN/python" -m tests.conversations.runner --start --min-share 0.9 --min-share-english 0.6

step "pytest"
"$BIN/pytest"
