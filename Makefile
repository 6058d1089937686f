# Two entry points: `make run` and `make test`. Each sets up what it needs and is quick when done.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export HF_HUB_OFFLINE := 1
export ANONYMIZED_TELEMETRY := False
export GRADIO_ANALYTICS_ENABLED := False

.PHONY: run test install model lint bench clean chromium nginx ocr

$(STAMP): requirements.lock pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q --disable-pip-version-check torch==2.13.0
	$(VENV)/bin/pip install -q --disable-pip-version-check -r requirements.lock
	$(VENV)/bin/pip install -q --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

install: $(STAMP)

model: $(STAMP)
	$(PY) -m assistant.cli setup

chromium:
	@command -v chromium >/dev/null 2>&1 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null)

# the authenticating reverse proxy in front of the app in the trusted-header tests
nginx:
	@test -x /usr/sbin/nginx || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >/dev/null)

# OCR of scanned minutes: Tesseract with its Danish model (ocrmypdf itself is in requirements.lock)
ocr:
	@(command -v tesseract >/dev/null 2>&1 && tesseract --list-langs 2>/dev/null | grep -qx dan) || \
	(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tesseract-ocr tesseract-ocr-dan >/dev/null)

lint: $(STAMP)
	$(VENV)/bin/ruff check .

test: model chromium nginx ocr lint
	$(PY) -m pytest -q --durations=25 -n 2 --dist loadfile

run: model ocr
	$(PY) -m assistant.cli serve --ingest-sample

bench: model ocr
	$(PY) -m bench.run

clean:
	rm -rf data
