# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
FLASK := $(BIN)/flask --app wsgi

TRANSLATIONS := crm/translations
CATALOGUES := $(wildcard $(TRANSLATIONS)/*/LC_MESSAGES/messages.po)
# How texts are extracted (tests/i18n/test_catalogue.py checks messages.pot with the same):
# the keywords that mark texts besides pybabel's defaults (_, gettext, ngettext, …), and the
# folders to skip (pybabel's default would skip templates/_macros).
EXTRACT_OPTIONS := -k _l -k lazy_gettext -k lazy_ngettext:1,2 --ignore-dirs ".* __pycache__"
# Click's own words (Usage:, Options:, its errors) are translated in the same catalogue: the
# commands look them up through Python's gettext (crm/i18n/commands.py).
CLICK_SOURCES = $(shell $(BIN)/python -c "import click, pathlib; print(pathlib.Path(click.__file__).parent)")

.PHONY: run test lint format migrate demo clean translations compile-translations

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Stamp files: reinstall only when the requirements change.
$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.installed

migrate: $(VENV)/.installed
	$(FLASK) db upgrade

demo: migrate
	$(FLASK) demo load --if-empty
	$(FLASK) reports month-ends

## Serve the CRM on http://$(HOST):$(PORT) with demo data (loaded on the first run).
run: compile-translations demo
	@echo "Serving on http://$(HOST):$(PORT)/ (Ctrl+C stops)"
	$(FLASK) run --host $(HOST) --port $(PORT)

## The whole suite; TEST_DATABASE_URL=postgresql+psycopg://… runs it on PostgreSQL.
test: $(VENV)/.installed-dev compile-translations
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## After changing texts: extract them into messages.pot and add the new ones to each
## catalogue (untranslated, never guessed); then translate them (tests/i18n names any left).
translations: $(VENV)/.installed
	$(BIN)/pybabel extract --mapping-file babel.cfg $(EXTRACT_OPTIONS) --add-comments TRANSLATORS: \
		--project "Credit CRM" --copyright-holder "Credit CRM" --width 100 \
		--output-file $(TRANSLATIONS)/messages.pot crm $(CLICK_SOURCES)
	$(BIN)/pybabel update --input-file $(TRANSLATIONS)/messages.pot --output-dir $(TRANSLATIONS) \
		--no-fuzzy-matching --ignore-obsolete --width 100
	$(MAKE) compile-translations

## The .mo files the app reads are built from the committed .po files, never committed.
compile-translations: $(CATALOGUES:.po=.mo)

$(TRANSLATIONS)/%/LC_MESSAGES/messages.mo: $(TRANSLATIONS)/%/LC_MESSAGES/messages.po | $(VENV)/.installed
	$(BIN)/pybabel compile --statistics --input-file $< --output-file $@

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
	rm -f $(CATALOGUES:.po=.mo)
