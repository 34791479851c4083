"""How the Rasa server starts: `python -m rasa_server run …` is `rasa run …` with the
measured fixes of `patches/` installed first (run.sh, cluster.sh and the image's
entrypoint start it so). The action server is Rasa SDK's own and needs none of them."""
