#!/usr/bin/env bash
# Start the action server (5055) and the Rasa server with the REST and socketio channels (5005).
# Ctrl-C or SIGTERM stops both. `--shell` chats in the terminal instead of serving channels.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
MODEL=${MODEL:-models/upgrade-helpdesk.tar.gz}
RASA_PORT=${RASA_PORT:-5005}
ACTIONS_PORT=${ACTIONS_PORT:-5055}
LOGS=var/log
export RASA_TELEMETRY_ENABLED=${RASA_TELEMETRY_ENABLED:-false}  # nothing leaves the machine
mkdir -p "$LOGS"
# One database for conversations (Rasa's tracker store) and the product's records.
export DATABASE_URL=${DATABASE_URL:-sqlite:///$PWD/var/helpdesk.db}
"$BIN/python" -m actions.records.migrate

port_in_use() { "$BIN/python" -c "import socket,sys; s=socket.socket(); sys.exit(0 if s.connect_ex(('127.0.0.1', $1)) == 0 else 1)"; }
# Ready means answering HTTP: the port opens before Rasa has loaded its model.
http_ok() { "$BIN/python" -c "import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)" "$1" 2>/dev/null; }
for port in "$ACTIONS_PORT" $([ "${1:-}" = --shell ] || echo "$RASA_PORT"); do
  if port_in_use "$port"; then
    echo "Port $port is already in use: stop what is listening there (is the assistant already running?)." >&2
    exit 1
  fi
done

pids=()
stop() {
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  echo "Assistant stopped."
}
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

"$BIN/rasa" run actions --actions actions --port "$ACTIONS_PORT" > "$LOGS/actions.log" 2>&1 &
pids+=($!)

if [ "${1:-}" = --shell ]; then
  "$BIN/rasa" shell --model "$MODEL" --endpoints endpoints.yml
  exit 0
fi

if [ -n "${HELPDESK_URL:-}" ]; then
  # Delivers the stored support requests to the helpdesk, retrying until it takes them.
  "$BIN/python" -m scripts.deliver_outbox --every 10 > "$LOGS/outbox.log" 2>&1 &
  pids+=($!)
fi

"$BIN/rasa" run --model "$MODEL" --port "$RASA_PORT" \
  --credentials credentials.yml --endpoints endpoints.yml > "$LOGS/rasa.log" 2>&1 &
pids+=($!)

echo "Starting the assistant (logs in $LOGS/)..."
until http_ok "http://127.0.0.1:$RASA_PORT/" && http_ok "http://127.0.0.1:$ACTIONS_PORT/health"; do
  for pid in "${pids[@]}"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "A server stopped while starting; the end of its log:" >&2
      tail -n 20 "$LOGS/rasa.log" "$LOGS/actions.log" >&2
      exit 1
    fi
  done
  sleep 1
done
cat <<MSG

The assistant is running.
  REST:      curl -s localhost:$RASA_PORT/webhooks/rest/webhook -H 'Content-Type: application/json' \\
               -d '{"sender": "me", "message": "ciao"}'
  socketio:  ws://localhost:$RASA_PORT/socket.io (the web widget's channel)
  actions:   http://localhost:$ACTIONS_PORT/webhook
  database:  $DATABASE_URL
  helpdesk:  ${HELPDESK_URL:-not configured: support requests stay local (make requests lists them)}
Press Ctrl-C to stop.
MSG
# If either server dies, stop the other too.
wait -n "${pids[@]}"
