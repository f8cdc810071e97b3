"""The interface language: Vietnamese first, English on request, through gettext catalogues.

Messages are written in English in the code (the gettext ``msgid``) and translated by the
catalogue ``locales/<lang>/LC_MESSAGES/cchc.po`` (compiled to ``.mo``, both in git;
``scripts/i18n.sh`` extracts, updates and compiles them with Babel). The language is, in
order: ``CCHC_LANG``; the first of ``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES``, ``LANG`` that
names a language we ship; else Vietnamese — the users are CCHC offices, and a machine left
at ``C`` or ``en_US`` by default is no request for English.
"""
from __future__ import annotations

import gettext
import os
from functools import lru_cache
from pathlib import Path

DOMAIN = "cchc"
LOCALEDIR = Path(__file__).parent / "locales"
LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "vi"
LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


def language(environ: os._Environ | dict[str, str] | None = None) -> str:
    """The language code in force (``vi`` or ``en``)."""
    env = os.environ if environ is None else environ
    wanted = env.get("CCHC_LANG", "").strip().lower()
    if wanted:
        code = wanted.replace("-", "_").split("_")[0]
        return code if code in LANGUAGES else DEFAULT_LANGUAGE
    for name in LOCALE_VARIABLES:
        for item in env.get(name, "").split(":"):  # LANGUAGE is a colon-separated priority list
            code = item.split(".")[0].split("_")[0].lower()
            if code in LANGUAGES:
                return code
    return DEFAULT_LANGUAGE


@lru_cache(maxsize=None)
def translations(lang: str) -> gettext.NullTranslations:
    return gettext.translation(DOMAIN, str(LOCALEDIR), languages=[lang], fallback=True)


def _(message: str) -> str:
    """The message in the language in force."""
    return translations(language()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(language()).ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark a message for the catalogue without translating it yet (constants read at import)."""
    return message


def install_for_process() -> str:
    """Make the standard ``gettext.gettext`` (used by click and other libraries) read our catalogue
    in the language in force. Called once by the command line; returns the language."""
    lang = language()
    gettext.bindtextdomain(DOMAIN, str(LOCALEDIR))
    gettext.textdomain(DOMAIN)
    os.environ["LANGUAGE"] = lang  # what gettext.gettext consults; inherited by child processes
    return lang
