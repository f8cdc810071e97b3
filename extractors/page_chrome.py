"""Page chrome of government portals: lines that are navigation, counters or buttons."""
from __future__ import annotations

import re

# Page chrome seen on government portals (SharePoint and others). A line that
# matches is navigation, a counter or a button, never article text.
CHROME_LINES = re.compile(
    r"^\s*(?:skip ribbon commands|skip to main content|chuyển đến nội dung chính|"
    r"số lượt (?:người )?(?:xem|truy cập)\b.*|lượt xem\s*:?\s*\d*|bản in|quay lại|in trang|"
    r"xem theo ngày\s*:?|chia sẻ|gửi email|lên đầu trang|trang chủ|tải về|"
    r"bản in\s*quay lại|[\d\s]{1,3})\s*$",
    re.I,
)
# Inline chrome glued to text by SharePoint ("Số lượt người xem: 33Bản in Quay lại").
CHROME_INLINE = re.compile(r"số lượt (?:người )?(?:xem|truy cập)\s*:?\s*[\d\s]*(?:bản in)?\s*(?:quay lại)?", re.I)


def strip_chrome(line: str) -> str:
    """The line without inline chrome; empty when the whole line is chrome."""
    line = CHROME_INLINE.sub("", line)
    return "" if CHROME_LINES.match(line) else line


def is_bar_cell(lines: list[str], i: int) -> bool:
    """Is ``lines[i]`` alone between two lines holding only "|": a cell of a table written in Markdown
    (a row's number "1", a count), never a visitor counter printed one digit per line?"""
    return 0 < i < len(lines) - 1 and lines[i - 1].strip() == "|" and lines[i + 1].strip() == "|"
