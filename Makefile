# The README's two commands are `make run` and `make test`; everything else is a step of theirs.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
SPACY_PIPELINE := build/spacy_it
MODEL := models/upgrade-helpdesk.tar.gz
# What the model is trained from: a change to any of these retrains it.
TRAINING_INPUTS := config.yml domain.yml $(shell find data -name '*.yml' -o -name '*.txt' 2>/dev/null)
export TF_CPP_MIN_LOG_LEVEL ?= 2
export SQLALCHEMY_SILENCE_UBER_WARNING ?= 1
# Rasa 3.6 and its dependencies print pages of deprecation warnings that say nothing to a user.
export PYTHONWARNINGS ?= ignore

.PHONY: setup run test shell lint train validate lock clean

setup: $(BIN)/.installed $(SPACY_PIPELINE)/meta.json

$(BIN)/.installed: requirements.txt scripts/setup.sh
	@scripts/setup.sh
	@touch $@

$(SPACY_PIPELINE)/meta.json: scripts/build_spacy_pipeline.py $(BIN)/.installed
	$(BIN)/python scripts/build_spacy_pipeline.py $(SPACY_PIPELINE)

# Rasa's own fingerprint would also skip unchanged parts; this skips starting it at all.
$(MODEL): $(TRAINING_INPUTS) $(SPACY_PIPELINE)/meta.json
	$(BIN)/rasa train --fixed-model-name upgrade-helpdesk --out models
	@touch $@

train: setup $(MODEL)

run: train
	@scripts/run.sh

shell: train
	@scripts/run.sh --shell

lint: setup
	$(BIN)/ruff check actions tests scripts
	$(BIN)/mypy

validate: setup
	$(BIN)/rasa data validate --fail-on-warnings

test: setup
	@scripts/test.sh

lock:
	@scripts/lock.sh

clean:
	rm -rf build models results .pytest_cache .mypy_cache .ruff_cache .hypothesis
