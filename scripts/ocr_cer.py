"""Character error rate of OCR on scans made from the real corpus PDFs, before and after post-correction.

Every page of each PDF is rendered at 300 dpi in grey and kept as an image-only PDF (a scan);
the scan is read by ``cchc``'s own reader (Tesseract through ``extractors.ocr``) and each page
compared with the original's text layer (``pipeline.ocr_eval``). Also printed: the document's
own number and date from the scan against the original, text quality, Tesseract's word
confidence, and pages per second.

    python scripts/ocr_cer.py                      # corpus/real, corpus/fixtures, ../shared/eval/dev PDFs
    python scripts/ocr_cer.py corpus/real/an-le-28-2019.pdf --format .png --pages 1
    python scripts/ocr_cer.py --tune               # choose TONE_ERROR_RATE on the tuning scans

``--tune`` uses other scans than the ones reported: PDFs LibreOffice makes of the corpus's
DOC, DOCX and TXT files. Tesseract reads them once; each candidate rate re-corrects its text.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.ocr_eval import edit_distance, measure, normalise, render_pages, text_layer  # noqa: E402

DEFAULT = ["corpus/real/*.pdf", "corpus/fixtures/*.pdf", "../shared/eval/dev/*.pdf"]
TUNE_SOURCES = ["corpus/real/*.doc", "corpus/real/*.docx", "corpus/real/*.txt"]
TUNE_RATES = (0.02, 0.001, 0.0002)


def _files(patterns: list[str]) -> list[Path]:
    out: list[Path] = []
    for pattern in patterns:
        path = Path(pattern)
        out.extend(sorted(ROOT.glob(pattern)) if any(c in pattern for c in "*?") else [path])
    return out


def report(files: list[Path], pages: list[int] | None, suffix: str) -> int:
    total_chars = total_before = total_after = total_pages = 0
    total_seconds = 0.0
    misses = 0
    print(f"{'document':44} {'pages':>5} {'s/page':>6} {'CER raw':>8} {'CER fixed':>9} {'fixes':>5} "
          f"{'conf':>5} {'quality':>13}  number / date (scan vs original)")
    with tempfile.TemporaryDirectory() as tmp:
        for path in files:
            r = measure(path, Path(tmp), pages, suffix)
            total_chars += r.chars
            total_before += r.errors_before
            total_after += r.errors_after
            total_pages += r.pages
            total_seconds += r.seconds
            number_ok = r.number[0] == r.number[1]
            date_ok = r.date[0] == r.date[1]
            misses += (not number_ok) + (not date_ok)
            quality = f"{r.quality[1] or 0:.3f}/{r.quality[0] or 0:.3f}"
            print(f"{r.name[:44]:44} {r.pages:5d} {r.seconds / r.pages:6.1f} {r.cer_before:8.2%} {r.cer_after:9.2%} "
                  f"{r.corrections:5d} {r.ocr_confidence or 0:5.2f} {quality:>13}  "
                  f"{r.number[1]} {'=' if number_ok else '!='} {r.number[0]}; {r.date[1]} {'=' if date_ok else '!='} {r.date[0]}")
            for warning in r.warnings:
                print(f"    warning: {warning}")
    print(f"{'all':44} {total_pages:5d} {total_seconds / max(1, total_pages):6.1f} "
          f"{total_before / max(1, total_chars):8.2%} {total_after / max(1, total_chars):9.2%}")
    print(f"{total_pages / max(total_seconds, 1e-9):.2f} pages/s; {misses} number/date differences")
    return 0


def tune() -> int:
    from extractors.ocr import ocr_many
    from extractors.ocr_correct import ToneModel, correct_numbers, correct_terms, correct_tones
    from extractors.vietnamese import lexicon

    sources = _files(TUNE_SOURCES)
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", tmp, *map(str, sources)],
                       check=True, capture_output=True, timeout=600)
        pages: list[tuple[str, str]] = []  # (Tesseract's text, reference)
        for pdf in sorted(Path(tmp).glob("*.pdf")):
            reference = text_layer(pdf)
            images = render_pages(pdf)
            started = time.perf_counter()
            done = ocr_many(range(1, len(images) + 1), lambda n: (images[n - 1], 300))
            print(f"{pdf.name}: {len(images)} pages in {time.perf_counter() - started:.1f} s", file=sys.stderr)
            pages.extend((p.raw_text, reference[p.page]) for p in done)
    chars = sum(len(normalise(ref)) for _, ref in pages)
    raw = sum(edit_distance(normalise(text), normalise(ref)) for text, ref in pages)
    print(f"tuning scans: {len(pages)} pages, CER {raw / chars:.2%} as Tesseract read them")
    fixed_terms = [correct_terms(correct_numbers(text)[0])[0] for text, _ in pages]
    errors = sum(edit_distance(normalise(t), normalise(ref)) for t, (_, ref) in zip(fixed_terms, pages))
    print(f"number codes and terms: CER {errors / chars:.2%}")
    for only_unknown in (True, False):
        for rate in TUNE_RATES:
            model = ToneModel(lexicon(), rate, only_unknown)
            errors = sum(edit_distance(normalise(correct_tones(t, model)[0]), normalise(ref))
                         for t, (_, ref) in zip(fixed_terms, pages))
            which = "unknown words" if only_unknown else "every word"
            print(f"+ tones of {which}, TONE_ERROR_RATE={rate}: CER {errors / chars:.2%}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("pdfs", nargs="*", help="PDFs to scan (default: the corpus PDFs)")
    parser.add_argument("--pages", type=lambda s: [int(p) for p in s.split(",")], default=None,
                        help="only these pages, e.g. 1,2")
    parser.add_argument("--format", dest="suffix", default=".pdf", choices=[".pdf", ".png", ".jpg", ".tiff"],
                        help="the scan's file type (PNG and JPEG hold one page: use --pages)")
    parser.add_argument("--tune", action="store_true", help="choose TONE_ERROR_RATE on the tuning scans")
    args = parser.parse_args()
    if args.tune:
        return tune()
    files = _files(args.pdfs or DEFAULT)
    if args.suffix in (".png", ".jpg") and (args.pages is None or len(args.pages) != 1):
        parser.error("a PNG or JPEG scan is one page: add --pages N")
    return report(files, args.pages, args.suffix)


if __name__ == "__main__":
    sys.exit(main())
