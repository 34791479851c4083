#!/usr/bin/env bash
# Train a model only when what it is trained from changed: config, domain, training data.
# A hash of their contents decides (file times would miss an edit made during a training).
# With no arguments: the assistant (config.yml on data/) and its English NLU model
# (english/config.yml on english/nlu/, docs/conversation.md).
# CONFIG and NAME train another configuration on data/ (the benchmark's stock Rasa).
# Rasa's cache (.rasa/) reuses the components whose inputs did not change.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/paths.env

train() {  # train <config> <model name> <what: "" or nlu> <data path>...
  local config=$1 name=$2 what=$3; shift 3
  local model=models/$name.tar.gz stamp=models/.$name.trained-from inputs digest
  inputs=$(find "$config" domain.yml "$@" -type f \( -name '*.yml' -o -name '*.txt' \) | sort)
  digest=$(cat $inputs | sha256sum | cut -d' ' -f1)
  if [ -f "$model" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$digest" ]; then
    echo "Model up to date: $model"
    return
  fi
  if [ "$what" = nlu ]; then
    "$BIN/rasa" train nlu --config "$config" --nlu "$1" --fixed-model-name "$name" --out models
  else
    "$BIN/rasa" train --config "$config" --data "$@" --fixed-model-name "$name" --out models
  fi
  echo "$digest" > "$stamp"
}

if [ -n "${CONFIG:-}" ]; then
  train "$CONFIG" "${NAME:?}" "" data
else
  train config.yml upgrade-helpdesk "" data
  train english/config.yml upgrade-helpdesk-en nlu english/nlu
fi
