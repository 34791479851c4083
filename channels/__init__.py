"""Custom Rasa connectors: the web widget's socketio channel with an origin allow-list, and
Telegram configured from the environment. Named in `credentials.yml`."""
