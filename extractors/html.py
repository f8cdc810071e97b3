"""HTML pages: the article via trafilatura, BeautifulSoup text when no article is found."""
from __future__ import annotations

import re
from html import unescape

import trafilatura
from bs4 import BeautifulSoup

from extractors import limits
from extractors.builder import DocumentBuilder
from extractors.page_chrome import strip_chrome
from extractors.errors import ReadError

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w-]+)""", re.I)

# trafilatura renders table rows as "| a | b |" lines.
_TABLE_ROW = re.compile(r"^\|(.*)\|\s*$")
# Less article text than this means trafilatura found no article.
MIN_ARTICLE_CHARS = 80


def decode_html(data: bytes) -> str:
    match = _META_CHARSET.search(data[:4096])
    declared = match.group(1).decode("ascii", "ignore").lower() if match else None
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    for encoding in filter(None, (declared, "utf-8")):
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    return data.decode("cp1258", errors="replace")


def _add_lines(builder: DocumentBuilder, text: str) -> None:
    rows: list[list[str]] = []
    for line in text.split("\n"):
        row = _TABLE_ROW.match(line.strip())
        if row:
            rows.append([c.strip() for c in row.group(1).split("|")])
            continue
        if rows:
            builder.add_table(rows)
            rows = []
        line = strip_chrome(line)
        if line:
            builder.add(line)
    if rows:
        builder.add_table(rows)


def _fallback_text(html: str) -> tuple[str, str | None]:
    soup = BeautifulSoup(html, "lxml")
    for tag in soup(["script", "style", "noscript", "nav", "header", "footer", "form", "iframe"]):
        tag.decompose()
    title = soup.title.get_text(" ", strip=True) if soup.title else None
    lines = [re.sub(r"\s+", " ", s).strip() for s in soup.get_text("\n").split("\n")]
    return "\n".join(l for l in lines if l), title


def _page_title(html: str) -> str | None:
    match = re.search(r"<title[^>]*>(.*?)</title>", html, re.I | re.S)
    return re.sub(r"\s+", " ", match.group(1)).strip() if match else None


def _markup_date(html: str) -> str | None:
    """The publication date the page's markup declares (meta tags, time elements, URL); never the body's dates."""
    from htmldate import find_date

    try:
        return find_date(html, extensive_search=False, original_date=True)
    except (ValueError, TypeError):
        return None


def _og_title(html: str) -> str | None:
    match = re.search(r"""<meta[^>]+property=["']og:title["'][^>]+content=["']([^"']+)""", html, re.I)
    return match.group(1).strip() if match else None


def _h1(html: str) -> str | None:
    match = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.I | re.S)
    return unescape(re.sub(r"<[^>]+>|\s+", " ", match.group(1))).strip() or None if match else None


def _meta_description(html: str) -> str | None:
    match = re.search(r"""<meta\s+name=["']description["']\s+content=["']([^"']+)""", html, re.I)
    return match.group(1).strip() if match else None


def read_html(data: bytes, path: str, sha256: str):
    if len(data) > limits.MAX_HTML_BYTES:
        raise ReadError(f"HTML page is {len(data) // 2**20} MB, over the {limits.MAX_HTML_BYTES // 2**20} MB cap "
                        "for a page", path, "too-large")
    html = decode_html(data)
    warnings: list[str] = []
    try:
        # No trafilatura metadata: its date search reads dates out of the article body (a guess);
        # the page's markup date comes from htmldate below, the title from the markup.
        result = trafilatura.bare_extraction(html, with_metadata=False, fast=True, include_tables=True,
                                             include_comments=False, deduplicate=False)
    except (ValueError, TypeError, AttributeError) as exc:  # malformed markup trafilatura cannot parse
        result = None
        warnings.append(f"trafilatura failed: {exc}")
    text = (result.text or "") if result is not None else ""
    title = _og_title(html) or _h1(html)
    published = _markup_date(html)
    if len(text.strip()) < MIN_ARTICLE_CHARS:
        text, soup_title = _fallback_text(html)
        title = title or soup_title
        warnings.append("no article found by trafilatura; text is the whole page via BeautifulSoup")
    if not title or len(title) < 12:  # portal names such as "Trung ương" are not titles
        candidates = [t for t in (_page_title(html), _meta_description(html), title) if t]
        title = max(candidates, key=len) if candidates else None
    builder = DocumentBuilder()
    _add_lines(builder, text)
    doc = builder.build(path=path, format="html", sha256=sha256, title=title, published=published)
    doc.warnings[:0] = warnings
    if not doc.text.strip():
        raise ReadError("HTML page has no text", path, "empty")
    return doc
