# The two commands of the README. Both set up everything first (scripts/setup.sh).
.PHONY: setup run test eval bench bench-quick

VENV := .venv/bin

setup:
	@bash scripts/setup.sh

## run: catalogue the bundled real corpus into output/catalogue.db and print what was found, initiatives listed
run: setup
	$(VENV)/cchc ingest corpus/real corpus/dev corpus/news corpus/fixtures --db output/catalogue.db
	$(VENV)/cchc summary --db output/catalogue.db
	$(VENV)/cchc query initiatives --db output/catalogue.db

## test: the whole test suite (what CI runs)
test: setup
	$(VENV)/python -m pytest -q

## eval: field scores on the shared dev set, with the reliability table (ECE); then the project's own gold
eval: setup
	$(VENV)/cchc eval ../shared/eval/dev
	$(VENV)/cchc eval corpus/dev corpus/news corpus/gold

## bench: every speed and scale figure (under 10 minutes); BEFORE=REF measures that commit beside it
bench: setup
	$(VENV)/python scripts/bench.py $(if $(BEFORE),--before $(BEFORE))

## bench-quick: the headline ratios in under a minute, written to output/bench/quick.json
bench-quick: setup
	$(VENV)/python scripts/bench.py --quick
