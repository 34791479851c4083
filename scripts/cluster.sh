#!/usr/bin/env bash
# `make cluster [N=2]`: the assistant scaled out as Rasa scales — N stateless Rasa servers
# (5105, 5106, …) over the shared PostgreSQL tracker store, the Redis lock store and the
# RabbitMQ event stream; two action servers (5155, 5156); HAProxy in front of both pools on
# the public ports of `make run` (5005, 5055); the support page (8080); the event consumer.
# Ctrl-C or SIGTERM stops everything it started.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
N=${N:-2}
MODEL=${MODEL:-models/upgrade-helpdesk.tar.gz}
export DATABASE_URL=${DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/helpdesk}
export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/0}
export RABBITMQ_URL=${RABBITMQ_URL:-amqp://guest:guest@127.0.0.1:5672/}
export RABBITMQ_QUEUE=${RABBITMQ_QUEUE:-rasa_events}
export ACTION_ENDPOINT_URL=http://127.0.0.1:5055/webhook  # the balancer's action pool
RASA_PORTS=$(seq 5105 $((5104 + N)))
ACTION_PORTS="5155 5156"

if ! command -v haproxy > /dev/null; then
  echo "Installing HAProxy from Debian's packages..."
  scripts/install_debian.sh haproxy || true
fi
HAPROXY=$(command -v haproxy || true)
if [ -z "$HAPROXY" ]; then
  echo "make cluster needs HAProxy as its load balancer: sudo apt-get install haproxy" >&2
  exit 1
fi
"$BIN/python" -m deploy.cluster_services  # PostgreSQL, Redis, RabbitMQ answer; the database exists
"$BIN/python" -m actions.records.migrate
require_free_ports 5005 5055 "$WEB_PORT" $RASA_PORTS $ACTION_PORTS

mkdir -p var/cluster
"$BIN/python" -m deploy.haproxy_config --rasa $RASA_PORTS --actions $ACTION_PORTS \
  --stats-socket "$PWD/var/cluster/haproxy.sock" > var/cluster/haproxy.cfg
"$HAPROXY" -c -q -f var/cluster/haproxy.cfg

ready=()
for port in $ACTION_PORTS; do
  start "actions-$port" "$BIN/python" -m actions.action_server --port "$port"
  ready+=("http://127.0.0.1:$port/health")
done
for port in $RASA_PORTS; do
  start "rasa-$port" "${RASA_ENV[@]}" "$BIN/python" -m rasa_server run --model "$MODEL" --port "$port" --cors "${cors[@]}" \
    --credentials credentials.yml --endpoints endpoints-cluster.yml
  ready+=("http://127.0.0.1:$port/")
done
start haproxy "$HAPROXY" -db -f var/cluster/haproxy.cfg
critical=("${pids[-1]}")
if [ "${CONSUMER:-on}" = on ]; then  # the tests run their own, to stop it mid-burst
  start events "$BIN/python" -m ops.consume_events
  critical+=("${pids[-1]}")
fi
start_outbox_worker
start_purge_worker
start_web_page

echo "Starting the cluster: $N Rasa servers, 2 action servers (logs in $LOGS/)..."
wait_ready "${ready[@]}" http://127.0.0.1:5005/ http://127.0.0.1:5055/health "http://127.0.0.1:$WEB_PORT/"
cat <<MSG

The assistant is running as a cluster.
  balancer:  http://localhost:5005 (Rasa servers: $(echo $RASA_PORTS)), http://localhost:5055 (action servers: $ACTION_PORTS)
  web page:  http://localhost:$WEB_PORT/
  agents:    http://localhost:5005/agent/ (make agent-add NAME=… EMAIL=…)
  telegram:  $(telegram_status)
  tracker:   $DATABASE_URL
  locks:     $REDIS_URL
  events:    $RABBITMQ_URL queue $RABBITMQ_QUEUE → conversation_events (make report)
Press Ctrl-C to stop.
MSG
# A Rasa or action server that dies is taken out by the balancer's health checks; the
# cluster stops when the balancer, the consumer or the page server stops.
wait -n "${critical[@]}"
