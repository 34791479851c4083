"""`make bench`: speed and memory of the assistant against stock Rasa on the same data
(`stock-config.yml`), served the way `make run` and `make cluster` serve them."""
