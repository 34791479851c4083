#!/usr/bin/env bash
# Train the model only when what it is trained from changed: config, domain, training data.
# A hash of their contents decides (file times would miss an edit made during a training).
# CONFIG and NAME train another configuration on the same data (the benchmark's stock Rasa).
# Rasa's cache (.rasa/) reuses the components whose inputs did not change.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/paths.env
CONFIG=${CONFIG:-config.yml}
NAME=${NAME:-upgrade-helpdesk}
MODEL=models/$NAME.tar.gz
STAMP=models/.$NAME.trained-from
inputs=$(find "$CONFIG" domain.yml data -type f \( -name '*.yml' -o -name '*.txt' \) | sort)
digest=$(cat $inputs | sha256sum | cut -d' ' -f1)
if [ -f "$MODEL" ] && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$digest" ]; then
  echo "Model up to date: $MODEL"
  exit 0
fi
"$BIN/rasa" train --config "$CONFIG" --fixed-model-name "$NAME" --out models
echo "$digest" > "$STAMP"
