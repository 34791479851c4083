"""What a human agent reads when the assistant hands over: the facts first, then the
conversation with times, in Italian; the same as JSON. Card numbers and IBANs are masked."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timezone
from typing import Any

from .catalog import Catalog
from .day_format import format_day, format_moment
from .expiry import ROME, days_to_expiry
from .language import SLOT, Language, parse
from .masking import mask_sensitive
from .money import format_eur
from .pricing import Quote, ServiceExpiredError, quote_upgrade

REASONS = {
    "human_handoff": "il cliente ha chiesto di parlare con una persona",
    "out_of_scope": "richiesta fuori dall'ambito dell'upgrade",
    "support_request": "richiesta di assistenza",
}

# Rasa's text of an external message (rasa.shared.core.constants.EXTERNAL_MESSAGE_PREFIX).
EXTERNAL_PREFIX = "EXTERNAL: "

LANGUAGE_NAMES = {Language.ENGLISH: "inglese"}  # Italian, the agent's, is not noted


@dataclass(frozen=True)
class Facts:
    """What the conversation established, in words an agent reads at a glance."""

    service: str | None = None
    addons: list[str] = field(default_factory=list)
    expiry: str | None = None
    quote: str | None = None
    rule: str | None = None
    contact_email: str | None = None
    request: str | None = None
    # The customer's language when not Italian: the transcript itself stays in Italian.
    customer_language: str | None = None


@dataclass(frozen=True)
class Line:
    time: str  # ISO 8601, Rome
    speaker: str  # "cliente", "assistente" or "operatore" (a person in the live handoff)
    text: str
    agent: str | None = None  # the operator's name


@dataclass(frozen=True)
class Transcript:
    conversation_id: str
    reason: str
    created_at: str
    facts: Facts
    lines: list[Line]

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def as_json(self) -> str:
        return json.dumps(self.as_dict(), ensure_ascii=False, indent=2)

    def as_text(self) -> str:
        created = datetime.fromisoformat(self.created_at)
        heading = (
            "Trascrizione della conversazione"
            if self.reason == "export"
            else f"Passaggio a operatore: {REASONS.get(self.reason, self.reason)}"
        )
        out = [
            heading,
            f"Conversazione {self.conversation_id}, {format_moment(created)}",
            "",
            "DATI RACCOLTI",
        ]
        labels = {
            "service": "Servizio",
            "addons": "Upgrade",
            "expiry": "Scadenza",
            "quote": "Preventivo",
            "rule": "Regola applicata",
            "contact_email": "Email di contatto",
            "request": "Richiesta",
        }
        for key, label in labels.items():
            value = getattr(self.facts, key)
            if isinstance(value, list):
                value = ", ".join(value)
            out.append(f"{label}: {value or '—'}")
        if self.facts.customer_language:
            out.append(f"Nota: il cliente ha scritto in {self.facts.customer_language}.")
        out += ["", "CONVERSAZIONE"]
        for line in self.lines:
            hour = datetime.fromisoformat(line.time).strftime("%H:%M")
            who = {"cliente": "Cliente", "operatore": f"Operatore ({line.agent})"}.get(
                line.speaker, "Assistente"
            )
            out.append(f"{hour} {who}: {line.text}")
        return "\n".join(out)


def facts_from_slots(
    catalog: Catalog,
    slots: Mapping[str, Any],
    now: datetime,
    explain: Callable[[Quote], str] | None = None,
) -> Facts:
    """The facts as the quote form left them; the quote is recomputed by the pricing rules,
    and its rule told by `explain` (the sentence the customer was shown: actions/replies.py)."""
    service_id = slots.get("service")
    service = catalog.services.get(service_id) if service_id else None
    addon_ids = [addon_id for addon_id in slots.get("addons") or [] if addon_id in catalog.addons]
    expiry_text = slots.get("expiry_date")
    quote = rule = expiry = None
    if expiry_text:
        expiry_day = date.fromisoformat(expiry_text)
        days = days_to_expiry(expiry_day, now)
        expiry = f"{format_day(expiry_day)} ({days} giorni)"
        if service and addon_ids:
            try:
                priced = quote_upgrade(catalog, service.id, addon_ids, days)
            except ServiceExpiredError:
                quote = "nessuno: servizio scaduto, va rinnovato prima"
            else:
                quote = (
                    f"{priced.fees} mensilità → {format_eur(priced.price.net)} + IVA "
                    f"{format_eur(priced.price.vat)} = {format_eur(priced.price.total)}"
                )
                if priced.renewal_required:
                    quote += (
                        f"; rinnovo subito a {format_eur(priced.renewal_monthly.net)}/mese + IVA"
                    )
                rule = explain(priced) if explain else None
    return Facts(
        service=service.name if service else None,
        addons=[catalog.addon(addon_id).name for addon_id in addon_ids],
        expiry=expiry,
        quote=quote,
        rule=rule,
        contact_email=slots.get("contact_email"),
        request=mask_sensitive(slots["request_description"])
        if slots.get("request_description")
        else None,
        customer_language=LANGUAGE_NAMES.get(parse(slots.get(SLOT))),
    )


def _moment(timestamp: float | None) -> str:
    moment = datetime.fromtimestamp(timestamp or 0, tz=timezone.utc).astimezone(ROME)
    return moment.isoformat(timespec="seconds")


def conversation_lines(events: Iterable[Mapping[str, Any]]) -> list[Line]:
    """The messages of a Rasa event list, masked; button payloads shown as the customer saw them."""
    lines = []
    shown: dict[str, str] = {}  # the buttons of the last bot message: payload -> title
    for item in events:
        kind, text = item.get("event"), item.get("text")
        if kind == "bot":
            buttons = (item.get("data") or {}).get("buttons") or []
            shown = {b["payload"]: b.get("title", "") for b in buttons if b.get("payload")}
        # An external message (a reminder, the handoff's timeout) is the server's, not said.
        if kind not in ("user", "bot") or not text or text.startswith(EXTERNAL_PREFIX):
            continue
        speaker = "cliente" if kind == "user" else "assistente"
        agent = (item.get("metadata") or {}).get("agent") if kind == "bot" else None
        if agent:
            speaker = "operatore"
        if kind == "user" and text.startswith("/"):
            # the title the customer tapped; the intent when the button is not in the events
            intent = ((item.get("parse_data") or {}).get("intent") or {}).get("name", text)
            text = f"[pulsante: «{shown[text]}»]" if shown.get(text) else f"[pulsante: {intent}]"
        lines.append(
            Line(_moment(item.get("timestamp")), speaker, mask_sensitive(text), agent or None)
        )
    return lines


def build_transcript(
    conversation_id: str,
    reason: str,
    facts: Facts,
    events: Iterable[Mapping[str, Any]],
    now: datetime,
) -> Transcript:
    return Transcript(
        conversation_id=conversation_id,
        reason=reason,
        created_at=now.astimezone(ROME).isoformat(timespec="seconds"),
        facts=facts,
        lines=conversation_lines(events),
    )
