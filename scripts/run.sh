#!/usr/bin/env bash
# Start the action server (5055), the Rasa server with the REST, socketio and Telegram
# channels (5005) and the support page with the chat widget (8080).
# Ctrl-C or SIGTERM stops them all. `--shell` chats in the terminal instead of serving channels.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
MODEL=${MODEL:-models/upgrade-helpdesk.tar.gz}
RASA_PORT=${RASA_PORT:-5005}
ACTIONS_PORT=${ACTIONS_PORT:-5055}
WEB_PORT=${WEB_PORT:-8080}
LOGS=var/log
export RASA_TELEMETRY_ENABLED=${RASA_TELEMETRY_ENABLED:-false}  # nothing leaves the machine
mkdir -p "$LOGS"
# One database for conversations (Rasa's tracker store) and the product's records.
export DATABASE_URL=${DATABASE_URL:-sqlite:///$PWD/var/helpdesk.db}
"$BIN/python" -m actions.records.migrate
export PYTHONPATH=$PWD  # the custom connectors in channels/
# An action server of our own, unless ACTION_ENDPOINT_URL names one that runs elsewhere.
own_actions=$([ -z "${ACTION_ENDPOINT_URL:-}" ] && echo yes || echo no)
export ACTION_ENDPOINT_URL=${ACTION_ENDPOINT_URL:-http://localhost:$ACTIONS_PORT/webhook}
# Browsers may reach the assistant only from these pages (the widget's socket and REST's
# CORS). The default is the local support page; production lists its support site.
export CHAT_ORIGINS=${CHAT_ORIGINS:-http://localhost:$WEB_PORT http://127.0.0.1:$WEB_PORT}
read -r -a cors <<< "${CHAT_ORIGINS//,/ }"

port_in_use() { "$BIN/python" -c "import socket,sys; s=socket.socket(); sys.exit(0 if s.connect_ex(('127.0.0.1', $1)) == 0 else 1)"; }
# Ready means answering HTTP: the port opens before Rasa has loaded its model.
http_ok() { "$BIN/python" -c "import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)" "$1" 2>/dev/null; }
for port in $([ "$own_actions" = yes ] && echo "$ACTIONS_PORT") \
    $([ "${1:-}" = --shell ] || echo "$RASA_PORT $WEB_PORT"); do
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

if [ "$own_actions" = yes ]; then
  "$BIN/rasa" run actions --actions actions --port "$ACTIONS_PORT" > "$LOGS/actions.log" 2>&1 &
  pids+=($!)
fi

if [ "${1:-}" = --shell ]; then
  "$BIN/rasa" shell --model "$MODEL" --endpoints endpoints.yml
  exit 0
fi

if [ -n "${HELPDESK_URL:-}" ]; then
  # Delivers the stored support requests to the helpdesk, retrying until it takes them.
  "$BIN/python" -m scripts.deliver_outbox --every 10 > "$LOGS/outbox.log" 2>&1 &
  pids+=($!)
fi

"$BIN/rasa" run --model "$MODEL" --port "$RASA_PORT" --cors "${cors[@]}" \
  --credentials credentials.yml --endpoints endpoints.yml > "$LOGS/rasa.log" 2>&1 &
pids+=($!)

"$BIN/python" -m scripts.serve_web --port "$WEB_PORT" > "$LOGS/web.log" 2>&1 &
pids+=($!)

echo "Starting the assistant (logs in $LOGS/)..."
actions_ready() { [ "$own_actions" = no ] || http_ok "http://127.0.0.1:$ACTIONS_PORT/health"; }
until http_ok "http://127.0.0.1:$RASA_PORT/" && actions_ready && http_ok "http://127.0.0.1:$WEB_PORT/"; do
  for pid in "${pids[@]}"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "A server stopped while starting; the end of its log:" >&2
      tail -n 20 "$LOGS/rasa.log" "$LOGS/actions.log" "$LOGS/web.log" >&2
      exit 1
    fi
  done
  sleep 1
done
telegram="off (set TELEGRAM_TOKEN to turn it on)"
[ -z "${TELEGRAM_TOKEN:-}" ] || telegram="on: webhook at /webhooks/telegram/webhook, registered as ${TELEGRAM_WEBHOOK_URL:-(TELEGRAM_WEBHOOK_URL not set)}"
cat <<MSG

The assistant is running.
  web page:  http://localhost:$WEB_PORT/ (the support page with the chat widget)
  REST:      curl -s localhost:$RASA_PORT/webhooks/rest/webhook -H 'Content-Type: application/json' \\
               -d '{"sender": "me", "message": "ciao"}'
  socketio:  ws://localhost:$RASA_PORT/socket.io (the web widget's channel; origins: $CHAT_ORIGINS)
  telegram:  $telegram
  actions:   $ACTION_ENDPOINT_URL
  database:  $DATABASE_URL
  helpdesk:  ${HELPDESK_URL:-not configured: support requests stay local (make requests lists them)}
Press Ctrl-C to stop.
MSG
# If any server dies, stop the others too.
wait -n "${pids[@]}"
