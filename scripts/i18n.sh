#!/usr/bin/env bash
# The interface language catalogues (gettext, through Babel): extract every message from the code and
# the templates, merge them into each language's .po, and compile the .mo files the program reads.
# Run after adding or changing a message; translate the new entries in pipeline/locales/vi/LC_MESSAGES/cchc.po,
# then run it again to compile. tests/test_i18n.py fails while a message is untranslated or a .mo is stale.
set -euo pipefail
cd "$(dirname "$0")/.."
BABEL=.venv/bin/pybabel
LOCALES=pipeline/locales
mkdir -p "$LOCALES"
"$BABEL" extract -F babel.cfg -k N_ -k ngettext:1,2 --no-location --sort-output --omit-header \
  --project cchc -o "$LOCALES/cchc.pot" cchc pipeline flows
# English is the language of the messages in the code: it needs no catalogue.
for lang in vi; do
  po="$LOCALES/$lang/LC_MESSAGES/cchc.po"
  if [ -f "$po" ]; then
    "$BABEL" update -D cchc -i "$LOCALES/cchc.pot" -d "$LOCALES" -l "$lang" --no-fuzzy-matching --ignore-obsolete
  else
    "$BABEL" init -D cchc -i "$LOCALES/cchc.pot" -d "$LOCALES" -l "$lang"
  fi
done
"$BABEL" compile -D cchc -d "$LOCALES" --statistics
