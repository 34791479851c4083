"""HAProxy's configuration for `make cluster`: round robin with health checks over the Rasa
servers (public port 5005) and the action servers (5055); a request that finds a dead
server is retried on another.

    python -m deploy.haproxy_config --rasa 5105 5106 --actions 5155 5156 \
        --stats-socket "$PWD/var/cluster/haproxy.sock"

The stats socket tells which servers the balancer counts as up
(`echo "show stat" | socat - var/cluster/haproxy.sock`; HAProxy wants its path absolute).
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

DEFAULTS = """\
defaults
    mode http
    timeout connect 2s
    # Messages of one conversation wait for each other (the lock store): allow for it.
    timeout client 150s
    timeout server 150s
    timeout http-request 10s
    # A request that cannot reach a server, or whose server dies before answering, goes to
    # another one. Rasa saves a conversation only after the whole turn, so a retried
    # message is handled once. The body must be buffered to be sent again.
    option redispatch
    option http-buffer-request
    retries 3
    retry-on conn-failure empty-response 503
    # A busy server answers its health check late, not never: with the check's own 1 s
    # timeout, one Rasa server at full load was marked down and every request got a 503.
    # A dead one refuses connections at once, and those requests are retried above.
    timeout check 5s
"""


def _servers(prefix: str, ports: Sequence[int]) -> str:
    # Checked every 2 s (each check may take up to 5 s); out after 3 failures, back after 2
    # successes.
    return "\n".join(
        f"    server {prefix}{port} 127.0.0.1:{port} check inter 2s fall 3 rise 2"
        for port in ports
    )


def haproxy_config(
    rasa_ports: Sequence[int], action_ports: Sequence[int], stats_socket: str | None = None
) -> str:
    # A server that has just come back is counted again only after its `rise` checks: the
    # socket lets a caller wait for that instead of guessing a delay.
    stats = f"\n    stats socket {stats_socket} mode 600 level user" if stats_socket else ""
    return f"""global
    maxconn 4096{stats}

{DEFAULTS}
frontend rasa
    bind 127.0.0.1:5005
    # socket.io's polling transport must keep to the server that holds its session.
    acl socket_io path_beg /socket.io
    use_backend rasa_sticky if socket_io
    default_backend rasa

backend rasa
    balance roundrobin
    option httpchk GET /
    http-check expect status 200
{_servers("rasa", rasa_ports)}

backend rasa_sticky
    balance source
    option httpchk GET /
{_servers("rasa", rasa_ports)}

frontend actions
    bind 127.0.0.1:5055
    default_backend actions

backend actions
    balance roundrobin
    option httpchk GET /health
    http-check expect status 200
{_servers("actions", action_ports)}
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rasa", type=int, nargs="+", required=True)
    parser.add_argument("--actions", type=int, nargs="+", required=True)
    parser.add_argument("--stats-socket", help="a Unix socket for HAProxy's `show stat`")
    args = parser.parse_args()
    print(haproxy_config(args.rasa, args.actions, args.stats_socket), end="")


if __name__ == "__main__":
    main()
