"""The ``cchc`` command line: a thin click layer over the library."""
from __future__ import annotations

import json
import sys

import click

from .errors import ReadError


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="cchc")
def cli() -> None:
    """A catalogue of administrative-reform (CCHC) initiatives, read from official texts."""


@cli.command()
@click.argument("path", type=click.Path(dir_okay=False))
def text(path: str) -> None:
    """Print the normalised text of PATH: the text every span offset indexes.

    Example: cchc text corpus/real/kon-tum-435-qd-ubnd-2020.txt
    """
    from .reader import read_document

    doc = _read_or_exit(read_document, path)
    click.echo(doc.text)


@cli.command()
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the cchc.extract/1 JSON object (the default).")
@click.option("--pretty", is_flag=True, help="Indent the JSON.")
def extract(path: str, as_json: bool, pretty: bool) -> None:
    """Extract numbers, dates, deadlines, units and initiatives from PATH; write nothing.

    Example: cchc extract corpus/dev/q6-nhan-rong-sang-kien-2020.txt --json
    """
    from nlp.extract import extract as run_extract

    from .contract import to_contract
    from .reader import read_document

    doc = _read_or_exit(read_document, path)
    out = to_contract(run_extract(doc))
    click.echo(json.dumps(out, ensure_ascii=False, indent=2 if pretty else None))


def _read_or_exit(reader, path: str):
    try:
        return reader(path)
    except ReadError as exc:
        click.echo(f"cchc: {exc}", err=True)
        sys.exit(2)


def main() -> None:
    cli()


if __name__ == "__main__":
    main()
