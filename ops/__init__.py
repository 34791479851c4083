"""Operators' commands and the long-running workers beside the assistant: the support page's
web server, the event-stream consumer, the helpdesk outbox worker, transcripts, the daily
report, the stored support requests. Nothing in `actions/`, `channels/` or `stores/` imports
this package (tests/test_layout.py)."""
