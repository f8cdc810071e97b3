"""HTML pages: the article via trafilatura, BeautifulSoup text when no article is found.

The page is parsed once (lxml, linear in its size); the title, headings, meta tags and the
markup date are read from that tree, never by regular expressions over the raw markup (an
unclosed ``<title>`` made those quadratic). Nothing here touches the network: htmldate is
given the parsed tree, never a string it could take for a URL and fetch.
"""
from __future__ import annotations

import re
from datetime import date

import trafilatura
from bs4 import BeautifulSoup
from lxml.html import HtmlElement
from trafilatura.utils import load_html

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


def _parse(html: str) -> HtmlElement | None:
    """The page's tree (trafilatura's parser and repairs), or None when lxml finds no HTML in it."""
    try:
        return load_html(html)
    except (ValueError, TypeError):
        return None


def _collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _first(tree: HtmlElement | None, xpath: str) -> HtmlElement | None:
    found = tree.xpath(xpath) if tree is not None else []
    return found[0] if found else None


def _page_title(tree: HtmlElement | None) -> str | None:
    title = _first(tree, "(//title)[1]")
    return _collapse(title.text_content()) if title is not None else None


def _markup_date(tree: HtmlElement | None) -> str | None:
    """The publication date the page's markup declares (meta tags, time elements, URL); never the body's dates.

    htmldate gets the tree (it works on a copy): given a string that starts with "http" it would
    download that URL."""
    from htmldate import find_date

    if tree is None:
        return None
    try:
        return find_date(tree, extensive_search=False, original_date=True)
    except (ValueError, TypeError):
        return None


# Under an article's headline, portals print its date line in an element named for it ("article-date",
# "post-meta", "info": "Thứ sáu, 20/08/2021 | 14:35 GMT+7", "Ngày đăng: 14/06/2017 08:45"), often
# outside what trafilatura keeps as the article. Only the first such element after the headline
# (the site's today-date in a top bar comes before it) and only a short one (a body is no date line).
# The headline is the first <h1>; a portal without one sets its headline in a lower heading, the one
# that repeats the page's <title> ("<h2>VKSND huyện …</h2>" under "<title>VKSND huyện …</title>").
_DATE_LINE_HINTS = ("date", "time", "meta", "info", "publish", "ngay")
_DATE_LINE_FOLLOWING = "following::*[@class or @id][position() <= 40]"
_LOWER_HEADINGS = "//h2 | //h3"
MIN_HEADLINE_CHARS = 12  # a box title ("TIN TỨC", "LIÊN KẾT WEBSITE") is no headline
MAX_DATE_LINE_CHARS = 100
_DAY_MONTH_YEAR = re.compile(r"(?<!\d)(\d{1,2})[/.\-](\d{1,2})[/.\-]((?:19|20)\d\d)(?!\d)")


def _headline(tree: HtmlElement | None) -> HtmlElement | None:
    """The article's headline element: the first <h1>, else the first <h2>/<h3> the page's <title> repeats,
    else the first <h2>/<h3> printed right beside a date line (a portal whose <title> is the site's name:
    "<div class="newsdate">…</div><h2>Nhân rộng mô hình …</h2>")."""
    h1 = _first(tree, "(//h1)[1]")
    if h1 is not None or tree is None:
        return h1
    title = (_page_title(tree) or "").casefold()
    headings = [h for h in tree.xpath(_LOWER_HEADINGS) if len(_collapse(h.text_content())) >= MIN_HEADLINE_CHARS]
    for heading in headings:
        if _collapse(heading.text_content()).casefold() in title:
            return heading
    return next((h for h in headings if any(_is_date_element(e) for e in h.xpath(_BESIDE))), None)


_BESIDE = "preceding-sibling::*[1] | following-sibling::*[1]"


def _is_date_element(element: HtmlElement) -> bool:
    names = f"{element.get('class', '')} {element.get('id', '')}".lower()
    return any(hint in names for hint in _DATE_LINE_HINTS)


def _date_line_text(headline: HtmlElement | None) -> str | None:
    """The date line printed with the page's ``headline``: the first date element after it, else the one
    right above it ("Thứ Sáu, 19 Tháng Mười 2018 | 15:42" over the headline); short, and with a year."""
    if headline is None:
        return None
    # above the headline only inside the article's own container: a site's today-date sits in the page's
    # top bar, a direct child of <body> beside the headline
    parent = headline.getparent()
    above = headline.xpath("preceding-sibling::*[1]") if parent is not None and parent.tag != "body" else []
    for element in [*headline.xpath(_DATE_LINE_FOLLOWING), *above]:
        if not _is_date_element(element):
            continue
        text = _collapse(element.text_content())
        if len(text) <= MAX_DATE_LINE_CHARS and _YEAR.search(text):
            return text
    return None


_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")


def _date_line(text: str | None) -> str | None:
    """The day of a date line (day/month/year, the Vietnamese order); None when it writes the month
    as a word ("19 Tháng Mười 2018": the text keeps the line, read by the header with the language's words)."""
    found = _DAY_MONTH_YEAR.search(text) if text else None
    if found:
        day, month, year = (int(g) for g in found.groups())
        try:
            return date(year, month, day).isoformat()
        except ValueError:
            return None
    return None


def _meta_content(tree: HtmlElement | None, attribute: str, value: str) -> str | None:
    meta = _first(tree, f"(//meta[@{attribute}='{value}'][@content])[1]")
    content = meta.get("content", "").strip() if meta is not None else ""
    return content or None


def _og_title(tree: HtmlElement | None) -> str | None:
    return _meta_content(tree, "property", "og:title")


def _h1(tree: HtmlElement | None) -> str | None:
    h1 = _first(tree, "(//h1)[1]")
    return _collapse(" ".join(h1.itertext())) or None if h1 is not None else None


# A description meta tag, wherever it is written (some portals only write it from a script). Linear:
# a try starts only at "<meta" and stops at the first character that does not fit.
_META_DESCRIPTION = re.compile(r"""<meta\s+name=["']description["']\s+content=["']([^"']+)""", re.I)


def _meta_description(html: str) -> str | None:
    match = _META_DESCRIPTION.search(html)
    return match.group(1).strip() if match else None


# A news page's lead paragraph (sapo): Vietnamese portals put it in its own block, which trafilatura often
# leaves out as a teaser, though it is the article's first paragraph and names its subject and documents.
_LEAD_CLASS = re.compile(r"(?:^|[\s_-])(?:sapo|summary|lead|chapeau|tomtat|tom-tat)(?:$|[\s_-])", re.I)
MIN_LEAD_CHARS = 40  # shorter blocks with such a class are labels ("Tóm tắt"), not a paragraph


def _with_lead(tree: HtmlElement | None, text: str) -> str:
    """The article's text with its lead paragraph first, when the extraction left the lead out."""
    if tree is None or not text.strip():
        return text
    for element in tree.iter():
        if not isinstance(element.tag, str) or not _LEAD_CLASS.search(element.get("class") or ""):
            continue
        lead = _collapse(element.text_content())
        if len(lead) >= MIN_LEAD_CHARS and _collapse(lead[:MIN_LEAD_CHARS]) not in _collapse(text):
            first, _, rest = text.partition("\n")
            if rest and _collapse(first) == _collapse(_h1(tree) or ""):
                return f"{first}\n{lead}\n{rest}"  # after the article's own heading
            return f"{lead}\n{text}"
        return text
    return text


def _above_article(headline: HtmlElement | None, text: str, line: str) -> str:
    """``text`` with ``line`` above the article, after its ``headline`` when the text opens with it."""
    first, _, rest = text.partition("\n")
    if rest and headline is not None and _collapse(first) == _collapse(headline.text_content()):
        return f"{first}\n{line}\n{rest}"
    return f"{line}\n{text}"


def read_html(data: bytes, path: str, sha256: str):
    if len(data) > limits.MAX_HTML_BYTES:
        raise ReadError(f"HTML page is {len(data) // 2**20} MB, over the {limits.MAX_HTML_BYTES // 2**20} MB cap "
                        "for a page", path, "too-large")
    html = decode_html(data)
    tree = _parse(html)
    elements = sum(1 for _ in tree.iter()) if tree is not None else 0
    if elements > limits.MAX_HTML_ELEMENTS:
        raise ReadError(f"HTML page has {elements} elements, over the {limits.MAX_HTML_ELEMENTS} cap for a page "
                        "(CCHC_MAX_HTML_ELEMENTS)", path, "too-large")
    warnings: list[str] = []
    result = None
    try:
        # No trafilatura metadata: its date search reads dates out of the article body (a guess);
        # the page's markup date comes from htmldate below, the title from the markup.
        if tree is not None:
            result = trafilatura.bare_extraction(tree, with_metadata=False, fast=True, include_tables=True,
                                                 include_comments=False, deduplicate=False)
    except (ValueError, TypeError, AttributeError) as exc:  # malformed markup trafilatura cannot parse
        warnings.append(f"trafilatura failed: {exc}")
    text = (result.text or "") if result is not None else ""
    text = _with_lead(tree, text)
    title = _og_title(tree) or _h1(tree)
    headline = _headline(tree)
    date_line = _date_line_text(headline)
    published = _markup_date(tree) or _date_line(date_line)
    if not published and date_line and _collapse(date_line) not in _collapse(text[:2000]):
        text = _above_article(headline, text, date_line)  # the header reads the day from the line itself
    if len(text.strip()) < MIN_ARTICLE_CHARS:
        text, soup_title = _fallback_text(html)
        title = title or soup_title
        warnings.append("no article found by trafilatura; text is the whole page via BeautifulSoup")
    if not title or len(title) < 12:  # portal names such as "Trung ương" are not titles
        candidates = [t for t in (_page_title(tree), _meta_description(html), title) if t]
        title = max(candidates, key=len) if candidates else None
    builder = DocumentBuilder()
    _add_lines(builder, text)
    doc = builder.build(path=path, format="html", sha256=sha256, title=title, published=published)
    doc.warnings[:0] = warnings
    if not doc.text.strip():
        raise ReadError("HTML page has no text", path, "empty")
    return doc
