"""Write the "Lei" variant of every response in domain.yml that speaks with "tu".

The texts are written once, with "tu"; their formal variants (condition: register formal)
are derived with `actions.domain.register.to_formal` and rewritten here, so that changing a
text means running `make formal`. tests/domain/test_register.py fails while they are stale.
The parts the actions assemble (`part_…`) have none: the whole message is turned when sent
(actions/speaking.py). Responses that also depend on another slot (the Housing answers)
get variants that cannot both match, since Rasa picks at random among the conditional
variants that match. The English variants (condition `language: en`) are kept as written:
English has one register.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from actions.domain.language import DEFAULT, language_of
from actions.domain.register import to_formal, tu_forms

DOMAIN = Path(__file__).resolve().parents[1] / "domain.yml"
FORMAL = {"type": "slot", "name": "register", "value": "formal"}
INFORMAL = {"type": "slot", "name": "register", "value": "informal"}
PART = "part_"


class _NoAliases(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True


def _formal(variant: dict[str, Any], conditions: list[dict[str, Any]]) -> dict[str, Any]:
    formal = {"condition": conditions, "text": to_formal(variant["text"])}
    if "buttons" in variant:
        formal["buttons"] = variant["buttons"]
    return formal


def _informal(variants: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The variants as written: without the derived ones and the register conditions."""
    written = []
    for variant in variants:
        conditions = variant.get("condition", [])
        if FORMAL in conditions:
            continue
        kept = [condition for condition in conditions if condition != INFORMAL]
        written.append({**variant, "condition": kept} if kept else
                       {k: v for k, v in variant.items() if k != "condition"})
    return written


def with_formal(
    variants: list[dict[str, Any]], slot_values: dict[str, list[Any]]
) -> list[dict[str, Any]]:
    italian = [variant for variant in variants if language_of(variant) is DEFAULT]
    others = [variant for variant in variants if language_of(variant) is not DEFAULT]
    return _with_formal(italian, slot_values) + others


def _with_formal(
    variants: list[dict[str, Any]], slot_values: dict[str, list[Any]]
) -> list[dict[str, Any]]:
    written = _informal(variants)
    if not any(tu_forms(variant["text"]) for variant in written):
        return written
    conditioned = [variant for variant in written if variant.get("condition")]
    result = []
    for variant in conditioned:
        if tu_forms(variant["text"]):
            result.append(_formal(variant, [FORMAL, *variant["condition"]]))
            result.append({**variant, "condition": [INFORMAL, *variant["condition"]]})
        else:
            result.append(variant)
    for variant in written:
        if variant.get("condition"):
            continue
        if tu_forms(variant["text"]):
            if conditioned:
                # exclusive of the conditioned ones: the other values of their slot, and none
                slot = conditioned[0]["condition"][0]["name"]
                taken = {item["condition"][0]["value"] for item in conditioned}
                values = [*(v for v in slot_values[slot] if v not in taken), None]
                for value in values:
                    condition = {"type": "slot", "name": slot, "value": value}
                    result.append(_formal(variant, [FORMAL, condition]))
            else:
                result.append(_formal(variant, [FORMAL]))
        result.append(variant)
    return result


def render(text: str) -> str:
    head, rest = text.split("responses:\n", 1)
    body, tail = rest.split("\nsession_config:", 1)
    responses = yaml.safe_load("responses:\n" + body)["responses"]
    slots = yaml.safe_load(text)["slots"]
    values = {name: slot.get("values", []) for name, slot in slots.items()}
    derived = {
        name: variants if name.startswith(PART) else with_formal(variants, values)
        for name, variants in responses.items()
    }
    dumped = yaml.dump(
        {"responses": derived}, Dumper=_NoAliases, allow_unicode=True, sort_keys=False, width=4000
    )
    return head + dumped.rstrip("\n") + "\n\nsession_config:" + tail


def main() -> None:
    DOMAIN.write_text(render(DOMAIN.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"wrote {DOMAIN}")


if __name__ == "__main__":
    main()
