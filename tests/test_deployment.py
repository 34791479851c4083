"""The deployment files agree with what the code reads: the cluster's endpoints, the Helm
values, `scripts/cluster.sh` and the table of variables in docs/deploy.md."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import yaml

from deploy.haproxy_config import haproxy_config

ROOT = Path(__file__).resolve().parents[1]
ENDPOINTS = ROOT / "endpoints-cluster.yml"
HELM = ROOT / "deploy" / "helm" / "rasa-values.yml"
DEPLOY_DOC = (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")


def referenced(text: str) -> set[str]:
    return set(re.findall(r"\$\{([A-Z_]+)\}", text))


def read_by_code() -> set[str]:
    names: set[str] = set()
    folders = ("actions", "channels", "stores", "rasa_server", "ops", "bench", "deploy", "scripts")
    for folder in folders:
        for path in (ROOT / folder).rglob("*.py"):
            source = path.read_text(encoding="utf-8")
            names |= set(re.findall(r"environ(?:\.get)?[(\[]\s*\"([A-Z_]+)\"", source))
            names |= set(re.findall(r"^ENV_VAR = \"([A-Z_]+)\"", source, re.MULTILINE))
    return names


def documented() -> set[str]:
    rows = [line for line in DEPLOY_DOC.splitlines() if line.startswith("| `")]
    return {name for row in rows for name in re.findall(r"`([A-Z_]+)`", row.split("|")[1])}


def test_every_variable_the_code_reads_is_documented() -> None:
    needed = read_by_code() | referenced(ENDPOINTS.read_text())
    assert {"DATABASE_URL", "REDIS_URL", "RABBITMQ_URL", "TELEGRAM_TOKEN"} <= needed
    assert needed - documented() == set()


def test_make_cluster_sets_what_the_cluster_endpoints_read() -> None:
    # cluster.sh and the lib.sh it sources
    script = "".join((ROOT / "scripts" / name).read_text() for name in ("cluster.sh", "lib.sh"))
    exported = set(re.findall(r"^export ([A-Z_]+)=", script, re.MULTILINE))
    assert referenced(ENDPOINTS.read_text()) - exported == set()


def test_the_helm_values_carry_the_same_endpoints_channels_and_variables() -> None:
    values = yaml.safe_load(HELM.read_text())
    settings = values["applicationSettings"]
    assert settings["endpoints"]["additionalEndpoints"] == yaml.safe_load(ENDPOINTS.read_text())
    credentials = yaml.safe_load((ROOT / "credentials.yml").read_text())
    channels = settings["credentials"]["additionalChannelCredentials"]
    assert channels.keys() == credentials.keys()
    given = {item["name"] for item in values["extraEnv"]}
    assert referenced(ENDPOINTS.read_text()) - given == set()
    assert "*" not in settings["cors"]


def test_the_balancer_checks_health_and_retries_elsewhere(tmp_path: Path) -> None:
    config = haproxy_config([5105, 5106, 5107], [5155, 5156], "/srv/helpdesk/haproxy.sock")
    assert "stats socket /srv/helpdesk/haproxy.sock mode 600" in config
    assert "stats socket" not in haproxy_config([5105], [5155])
    assert config.count("server rasa5107 127.0.0.1:5107 check") == 2  # round robin + sticky
    assert "bind 127.0.0.1:5005" in config and "bind 127.0.0.1:5055" in config
    assert "option redispatch" in config and "retry-on conn-failure empty-response" in config
    assert "option httpchk GET /health" in config
    haproxy = shutil.which("haproxy")
    if haproxy:  # HAProxy's own check, where it is installed (CI installs it)
        checked = tmp_path / "haproxy.cfg"
        checked.write_text(config)
        subprocess.run([haproxy, "-c", "-q", "-f", str(checked)], check=True)
