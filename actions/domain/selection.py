"""The add-ons a customer has chosen so far, updated message by message.

"16 giga di ram" then "e un ip" adds; "anzi, 64 GB" replaces the RAM chosen before.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .catalog import AddonCategory, Catalog

_CORRECTION = re.compile(
    r"\b(anzi|invece|scusa|scusate|correggo|meglio|sbagliato|sbagliata|volevo dire|no)\b",
    re.IGNORECASE,
)


def is_correction(text: str) -> bool:
    return bool(_CORRECTION.search(text))


def merge_addons(
    catalog: Catalog, chosen: Sequence[str], named: Sequence[str], correction: bool
) -> list[str]:
    """`chosen` updated with the add-ons `named` in a new message.

    A correction replaces what was chosen of the same family; a connectivity always
    replaces the previous one, since a service has one.
    """
    result = list(chosen)
    named_families = {catalog.addon(addon_id).family for addon_id in named}
    named_connectivity = any(
        catalog.addon(addon_id).category is AddonCategory.CONNECTIVITY for addon_id in named
    )
    result = [
        addon_id
        for addon_id in result
        if not (correction and catalog.addon(addon_id).family in named_families)
        and not (
            named_connectivity and catalog.addon(addon_id).category is AddonCategory.CONNECTIVITY
        )
    ]
    return result + list(named)
