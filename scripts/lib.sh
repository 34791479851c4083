# Shared by run.sh and cluster.sh: the environment every server of the assistant needs,
# starting servers in the background, waiting for them, and stopping them all on exit.
# shellcheck shell=bash
source scripts/paths.env
LOGS=var/log
WEB_PORT=${WEB_PORT:-8080}
mkdir -p "$LOGS"
export RASA_TELEMETRY_ENABLED=${RASA_TELEMETRY_ENABLED:-false}  # nothing leaves the machine
export PYTHONPATH=$PWD  # the custom connectors (channels/) and stores (stores/)
# Measured with `make bench` (docs/performance.md): each thread of a process grows a malloc
# arena of its own; two are plenty for these servers.
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}
# The Rasa server's models are small: TensorFlow's thread pools cost more than they give.
# Only for the Rasa server: with these set, any `rasa` command imports TensorFlow (+360 MB
# for the action server).
RASA_ENV=(env "TF_INTER_OP_PARALLELISM_THREADS=${TF_INTER_OP_PARALLELISM_THREADS:-1}"
          "TF_INTRA_OP_PARALLELISM_THREADS=${TF_INTRA_OP_PARALLELISM_THREADS:-1}")
# Browsers may reach the assistant only from these pages (the widget's socket and REST's
# CORS). The default is the local support page; production lists its support site.
export CHAT_ORIGINS=${CHAT_ORIGINS:-http://localhost:$WEB_PORT http://127.0.0.1:$WEB_PORT}
read -r -a cors <<< "${CHAT_ORIGINS//,/ }"
# The token the Rasa servers send and the action servers ask for (endpoints*.yml): a new
# one at each start unless given (an action server that runs elsewhere needs the same).
export ACTIONS_TOKEN=${ACTIONS_TOKEN:-$("$BIN/python" -c 'import secrets; print(secrets.token_urlsafe(32))')}

port_in_use() { "$BIN/python" -c "import socket,sys; s=socket.socket(); sys.exit(0 if s.connect_ex(('127.0.0.1', $1)) == 0 else 1)"; }
# Ready means answering HTTP: the port opens before Rasa has loaded its model.
http_ok() { "$BIN/python" -c "import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)" "$1" 2>/dev/null; }

require_free_ports() {
  for port in "$@"; do
    if port_in_use "$port"; then
      echo "Port $port is already in use: stop what is listening there (is the assistant already running?)." >&2
      exit 1
    fi
  done
}

pids=()
stop_all() {
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  echo "Assistant stopped."
}
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# start <log name> <command...>: in the background, output in var/log/<name>.log.
start() {
  local name=$1
  shift
  "$@" > "$LOGS/$name.log" 2>&1 &
  pids+=($!)
}

# wait_ready <url...>: until every URL answers; if a server dies meanwhile, show its log.
wait_ready() {
  local url pid
  while true; do
    for pid in "${pids[@]}"; do
      if ! kill -0 "$pid" 2>/dev/null; then
        echo "A server stopped while starting; the end of its logs:" >&2
        tail -n 20 "$LOGS"/*.log >&2
        exit 1
      fi
    done
    for url in "$@"; do http_ok "$url" || { sleep 1; continue 2; }; done
    return 0
  done
}

start_web_page() {
  start web "$BIN/python" -m ops.serve_web --port "$WEB_PORT" --assistant-port "${RASA_PORT:-5005}"
}
start_purge_worker() {
  # Conversations older than RETENTION_DAYS go, once at the start and then daily.
  start purge "$BIN/python" -m ops.privacy_commands purge --every 86400
}
start_outbox_worker() {
  # Delivers the stored support requests to the helpdesk, retrying until it takes them.
  [ -z "${HELPDESK_URL:-}" ] || start outbox "$BIN/python" -m ops.deliver_outbox --every 10
}
telegram_status() {
  if [ -z "${TELEGRAM_TOKEN:-}" ]; then
    echo "off (set TELEGRAM_TOKEN to turn it on)"
  else
    echo "on: webhook at /webhooks/telegram/webhook, registered as ${TELEGRAM_WEBHOOK_URL:-(TELEGRAM_WEBHOOK_URL not set)}"
  fi
}
