"""The one client of the external helpdesk: POST a request, with a timeout, retries with
backoff on failures that may pass, and an idempotency key so a retry is never a duplicate."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

RETRYABLE_STATUS = (408, 429, 500, 502, 503, 504)


class DeliveryError(Exception):
    """The helpdesk did not take the request; it stays pending for a later attempt."""


@dataclass(frozen=True)
class HelpdeskConfig:
    url: str
    token: str | None = None
    timeout_seconds: float = 5.0
    retries: int = 2
    backoff_seconds: float = 0.5

    @classmethod
    def from_env(cls) -> HelpdeskConfig | None:
        """None when HELPDESK_URL is not set: the requests then stay local."""
        url = os.environ.get("HELPDESK_URL")
        if not url:
            return None
        return cls(url=url, token=os.environ.get("HELPDESK_TOKEN") or None)


class HelpdeskClient:
    def __init__(self, config: HelpdeskConfig) -> None:
        self.config = config
        retry = Retry(
            total=config.retries,
            connect=config.retries,
            read=config.retries,
            status=config.retries,
            backoff_factor=config.backoff_seconds,
            status_forcelist=RETRYABLE_STATUS,
            allowed_methods=frozenset({"POST"}),  # safe: the idempotency key dedupes
            raise_on_status=False,
        )
        self.session = requests.Session()
        self.session.mount("http://", HTTPAdapter(max_retries=retry))
        self.session.mount("https://", HTTPAdapter(max_retries=retry))

    def send(self, payload: dict[str, Any], idempotency_key: str) -> None:
        headers = {"Idempotency-Key": idempotency_key}
        if self.config.token:
            headers["Authorization"] = f"Bearer {self.config.token}"
        try:
            response = self.session.post(
                self.config.url, json=payload, headers=headers, timeout=self.config.timeout_seconds
            )
        except requests.RequestException as error:
            raise DeliveryError(f"helpdesk non raggiungibile: {error}") from error
        # 409: the helpdesk already holds this idempotency key, so the request is there.
        if not (200 <= response.status_code < 300 or response.status_code == 409):
            raise DeliveryError(
                f"helpdesk ha risposto {response.status_code}: {response.text[:200]}"
            )
