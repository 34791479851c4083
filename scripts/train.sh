#!/usr/bin/env bash
# Train the model only when what it is trained from changed: config, domain, training data.
# A hash of their contents decides (file times would miss an edit made during a training).
set -euo pipefail
cd "$(dirname "$0")/.."
MODEL=models/upgrade-helpdesk.tar.gz
STAMP=models/.trained-from
inputs=$(find config.yml domain.yml data -type f \( -name '*.yml' -o -name '*.txt' \) | sort)
digest=$(cat $inputs | sha256sum | cut -d' ' -f1)
if [ -f "$MODEL" ] && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$digest" ]; then
  echo "Model up to date: $MODEL"
  exit 0
fi
.venv/bin/rasa train --fixed-model-name upgrade-helpdesk --out models
echo "$digest" > "$STAMP"
