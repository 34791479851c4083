"""Measured fixes to Rasa 3.6's hot spots, installed by name where the Rasa server starts
(`python -m rasa_server`); each computes what Rasa computes, once instead of on every call
(py-spy under `make bench`), one module per part of Rasa: the calls to the action server,
reading events, the SQL tracker store, the conversation's states, the policies, the forms.
They were measured on Rasa 3.6 only: on another version they are not installed, and the
log says so (tests/test_rasa_patches.py pins the version and compares each fix with Rasa's
own code).
"""

from __future__ import annotations

import logging

import rasa

from . import action_calls, events, forms, policies, states, tracker_store

MEASURED_ON = "3.6."  # the Rasa versions whose code these replacements copy
logger = logging.getLogger(__name__)


def install(version: str = rasa.__version__) -> bool:
    """Install the fixes if Rasa is the version they were measured on; say which happened."""
    if not version.startswith(MEASURED_ON):
        logger.warning(
            "Rasa %s: the speed fixes of rasa_server/patches were measured on %sx only and "
            "are not installed; Rasa runs as shipped (measure again with `make bench`).",
            version, MEASURED_ON,
        )
        return False
    for part in (action_calls, events, tracker_store, states, policies, forms):
        part.install()
    logger.info("Rasa %s: speed fixes installed (rasa_server/patches)", version)
    return True
