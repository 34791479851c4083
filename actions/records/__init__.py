"""The product's own records in SQL (SQLAlchemy 1.4): support requests and their delivery
outbox, handoffs with transcripts, quotes given. Plain Python, no Rasa import."""
