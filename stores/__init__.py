"""Rasa plugins of the cluster profile (endpoints-cluster.yml): a Redis lock store that
takes its lock atomically, and a RabbitMQ event broker that never stops the assistant."""
