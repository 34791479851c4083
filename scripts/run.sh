#!/usr/bin/env bash
# Start the action server (5055), the Rasa server with the REST, socketio and Telegram
# channels (5005) and the support page with the chat widget (8080).
# Ctrl-C or SIGTERM stops them all. `--shell` chats in the terminal instead of serving channels.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
MODEL=${MODEL:-models/upgrade-helpdesk.tar.gz}
RASA_PORT=${RASA_PORT:-5005}
ACTIONS_PORT=${ACTIONS_PORT:-5055}
# One database for conversations (Rasa's tracker store) and the product's records.
export DATABASE_URL=${DATABASE_URL:-sqlite:///$PWD/var/helpdesk.db}
# An action server of our own, unless ACTION_ENDPOINT_URL names one that runs elsewhere.
own_actions=$([ -z "${ACTION_ENDPOINT_URL:-}" ] && echo yes || echo no)
export ACTION_ENDPOINT_URL=${ACTION_ENDPOINT_URL:-http://localhost:$ACTIONS_PORT/webhook}

require_free_ports $([ "$own_actions" = yes ] && echo "$ACTIONS_PORT") \
  $([ "${1:-}" = --shell ] || echo "$RASA_PORT $WEB_PORT")
ready=("http://127.0.0.1:$RASA_PORT/" "http://127.0.0.1:$WEB_PORT/")
if [ "$own_actions" = yes ]; then
  start actions "$BIN/python" -m actions.action_server --port "$ACTIONS_PORT"
  ready+=("http://127.0.0.1:$ACTIONS_PORT/health")
fi

if [ "${1:-}" = --shell ]; then
  "$BIN/python" -m actions.records.migrate
  "$BIN/python" -m rasa_server shell --model "$MODEL" --endpoints endpoints.yml
  exit 0
fi

start_outbox_worker
start rasa "${RASA_ENV[@]}" "$BIN/python" -m rasa_server run --model "$MODEL" --port "$RASA_PORT" --cors "${cors[@]}" \
  --credentials credentials.yml --endpoints endpoints.yml
start_web_page
# The records' schema, while Rasa loads its model (Rasa's own table is Rasa's to create);
# nothing is answered before wait_ready, after this.
"$BIN/python" -m actions.records.migrate
start_purge_worker

echo "Starting the assistant (logs in $LOGS/)..."
wait_ready "${ready[@]}"
cat <<MSG

The assistant is running.
  web page:  http://localhost:$WEB_PORT/ (the support page with the chat widget)
  REST:      curl -s localhost:$RASA_PORT/webhooks/rest/webhook -H 'Content-Type: application/json' \\
               -d '{"sender": "me", "message": "ciao"}'
  socketio:  ws://localhost:$RASA_PORT/socket.io (the web widget's channel; origins: $CHAT_ORIGINS)
  telegram:  $(telegram_status)
  agents:    http://localhost:$RASA_PORT/agent/ (a person in the same chat; add one: make agent-add NAME=… EMAIL=…)
  actions:   $ACTION_ENDPOINT_URL
  database:  $DATABASE_URL
  helpdesk:  ${HELPDESK_URL:-not configured: support requests stay local (make requests lists them)}
Press Ctrl-C to stop.
MSG
# If any server dies, stop the others too.
wait -n "${pids[@]}"
