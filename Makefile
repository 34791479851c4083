# The README's two commands are `make run` and `make test`; everything else is a step of theirs.
SHELL := /bin/bash
include scripts/paths.env
SPACY_PIPELINES := build/spacy_it/meta.json build/spacy_en/meta.json
export TF_CPP_MIN_LOG_LEVEL ?= 2
export SQLALCHEMY_SILENCE_UBER_WARNING ?= 1
# Rasa 3.6 and its dependencies print pages of deprecation warnings that say nothing to a user.
export PYTHONWARNINGS ?= ignore
# No telemetry or error reports leave the machine (customers' messages are in them).
export RASA_TELEMETRY_ENABLED ?= false

.PHONY: setup db run test shell lint train validate lock lookups formal transcript requests deliver clean widget-vendor bench cluster report purge forget export agent-add

setup: $(BIN)/.installed $(SPACY_PIPELINES) db

# Schema migrations of the records database (DATABASE_URL, else var/helpdesk.db).
db: $(BIN)/.installed
	@$(BIN)/python -m actions.records.migrate

$(BIN)/.installed: requirements.txt scripts/setup.sh scripts/paths.env
	@scripts/setup.sh
	@touch $@

build/spacy_%/meta.json: scripts/build_spacy_pipeline.py $(BIN)/.installed
	$(BIN)/python scripts/build_spacy_pipeline.py build/spacy_$*

train: setup
	@scripts/train.sh

run: train
	@scripts/run.sh

shell: train
	@scripts/run.sh --shell

# What is linted and type-checked is said once, in pyproject.toml.
lint: setup
	$(BIN)/ruff check
	$(BIN)/mypy

validate: setup
	$(BIN)/rasa data validate --fail-on-warnings

test: setup
	@scripts/test.sh

# The NLU lookup tables and synonyms follow the price list.
lookups: setup
	$(BIN)/python -m scripts.generate_lookups

# The "Lei" variants of domain.yml's responses follow the texts written with "tu".
formal: setup
	$(BIN)/python -m scripts.formal_variants

# The transcript of one conversation: make transcript ID=<conversation id> [FORMAT=json] [OUT=file] [SOURCE=stream]
transcript: setup
	@$(BIN)/python -m ops.transcript "$(ID)" $(if $(filter json,$(FORMAT)),--json) $(if $(OUT),--out "$(OUT)") $(if $(SOURCE),--source $(SOURCE))

# The support requests stored locally, and one delivery pass to HELPDESK_URL.
requests: setup
	@$(BIN)/python -m ops.support_requests

deliver: setup
	@$(BIN)/python -m ops.deliver_outbox

# Customers' data (docs/privacy.md): conversations older than RETENTION_DAYS go (make run
# and make cluster do it daily); one customer's data erased or exported on request.
purge: setup
	@$(BIN)/python -m ops.privacy_commands purge

# An agent of the live-handoff console (/agent/): make agent-add NAME=Giulia EMAIL=giulia@example.com
# (the password is asked at the terminal).
agent-add: db
	@$(BIN)/python -m ops.agent_add --name "$(NAME)" --email "$(EMAIL)"

# make forget ID=<conversation id> | EMAIL=<email>
forget: setup
	@$(BIN)/python -m ops.privacy_commands forget $(if $(ID),--id "$(ID)") $(if $(EMAIL),--email "$(EMAIL)")

# make export EMAIL=<email> [OUT=file]
export: setup
	@$(BIN)/python -m ops.privacy_commands export --email "$(EMAIL)" $(if $(OUT),--out "$(OUT)")

# Scale-out: N Rasa servers behind HAProxy over PostgreSQL, Redis and RabbitMQ: make cluster [N=2]
cluster: train
	@N=$(or $(N),2) scripts/cluster.sh

# The daily report from the event stream, else Rasa's conversations (make run): make report [DAY=2026-11-26]
report: setup
	@$(BIN)/python -m ops.report $(if $(DAY),--day $(DAY))

# Speed and memory against stock Rasa on the same data: make bench [BENCH_ARGS="--rounds 1 --long --cluster"]
bench: train
	@CONFIG=bench/stock-config.yml NAME=stock-rasa-init scripts/train.sh
	@$(BIN)/python -m bench.bench $(BENCH_ARGS)

# The widget's socket.io client, from the npm registry: make widget-vendor [VERSION=4.8.4]
widget-vendor:
	@scripts/vendor_socketio.sh $(VERSION)

lock:
	@scripts/lock.sh

clean:
	rm -rf build models results .pytest_cache .mypy_cache .ruff_cache .hypothesis
