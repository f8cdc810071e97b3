"""Deadlines: a date introduced by a deadline cue, with its task and responsible unit.

Cues (domain notes): "trước ngày 31/7/2021", "chậm nhất ngày …", "hạn chót …",
"hoàn thành trong tháng 6/2021", "trong thời hạn 15 ngày kể từ ngày ký"
(relative to the document date), "trước ngày 15 hằng tháng" (recurring, no
single date). A month or quarter resolves to its last day, and says so.
"""
from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Iterator

from nlp.span import Span

from .vocab import vre
from .base import Context
from .dates import DateMention
from nlp.keys import canonical_key

# Text that makes the date right after it a deadline.
_CUE = vre(
    r"(?:trước|chậm\s+nhất(?:\s+là)?(?:\s+vào)?|hạn\s+chót(?:\s+là)?|hạn\s+cuối(?:\s+là)?|không\s+muộn\s+hơn|"
    r"không\s+quá|đến\s+hết|đến\s+trước|hết\s+hạn(?:\s+vào)?|hạn\s+nộp\s*:?|"
    r"thời\s+hạn(?:\s+(?:hoàn\s+thành|nộp|gửi|báo\s+cáo|thực\s+hiện))?\s*:?|thời\s+gian\s+hoàn\s+thành\s*:?|"
    r"hoàn\s+thành(?:\s+xong)?(?:\s+(?:trong|trước|vào))?|xong\s+trước|kết\s+thúc(?:\s+(?:trước|vào|trong))?)"
    r"\s*(?:\d{1,2}\s*(?:giờ|h)\s*(?:\d{1,2}\s*(?:phút)?)?\s*,?\s*)?"  # "trước 17 giờ ngày 31/7/2021"
    r"(?:ngày\s*)?$",
    re.I,
)
# "Thời gian thực hiện: ... hoàn thành trong quý II/2020": the cue may stand a few words before.
_CUE_WINDOW = 45
_RELATIVE = vre(
    r"trong\s+(?:thời\s+hạn|vòng|thời\s+gian)\s+(?P<n>\d{1,3})\s+ngày(?P<work>\s+làm\s+việc)?\s*,?\s*(?:kể|tính)\s+từ\s+"
    r"(?:ngày\s+)?(?P<anchor>ký(?:\s+ban\s+hành)?|ban\s+hành|văn\s+bản\s+có\s+hiệu\s+lực|[^.;\n]{0,40})", re.I)
_RECURRING = vre(r"(?:trước|chậm\s+nhất(?:\s+là)?|vào)\s+ngày\s+(?P<d>\d{1,2})(?:(?:\s+tháng\s+|/)(?P<m>\d{1,2}))?"
                 r"\s+(?:hằng|hàng|mỗi)\s+(?P<p>tháng|quý|năm)", re.I)
_EARLIER_DEADLINE = vre(r"\s+(?:trước|chậm nhất|hạn chót)\s+(?:ngày\s+)?\d.*$", re.I | re.S)
_TIME_LABEL = vre(r"^(?:thời gian|thời hạn)(?:\s+(?:thực hiện|hoàn thành))?\s*:?", re.I)
_COMPLETE = vre(r"hoàn\s+thành\b", re.I)
_COMPLETE_WITHIN = vre(r"hoàn\s+thành\b[^.;\n]{0,30}\btrong\s*$", re.I)
_TRAILING_CUE = vre(r"\s*(?:trước|chậm nhất|hạn chót|hoàn thành(?: trong)?|trong|vào|đến hết)\s*$", re.I)
_CLAUSE_START = vre(r"[.;:!?\n|]|(?:,\s*)?(?:đồng thời|sau đó)\b", re.I)
_VERB = vre(
    r"(?<!\w)(?:phải|có trách nhiệm|gửi|báo cáo|hoàn thành|đăng ký|nộp|thực hiện|triển khai|tổng hợp|xây dựng|rà soát|"
    r"tổ chức|trình|ban hành|tham mưu|chủ trì|cập nhật|kiện toàn|công khai|đánh giá|lựa chọn|đề xuất)(?!\w)", re.I)
_RESPONSIBLE_HINT = vre(r"(?<!\w)(?:cơ quan|đơn vị|phòng|sở|ban|ngành|ubnd|ủy ban|uỷ ban|trường|trung tâm|"
                               r"văn phòng|công chức|cán bộ|chủ tịch|thủ trưởng|giám đốc|các|mỗi)(?!\w)", re.I)
_ASSIGNEE_LABEL = vre(r"(?:cơ quan|đơn vị)\s+(?:thực hiện|chủ trì|thực hiện chính|thực hiện và phối hợp)\s*:\s*(?P<who>[^\n]+)", re.I)
# "Văn bản của Sở Nội vụ nêu rõ, các cơ quan ...": what a text says is not who must do it.
_REPORTED = vre(r"^.*?(?:nêu rõ|cho biết|đề nghị|yêu cầu|theo đó|quy định|chỉ đạo|giao)\s*[,:]?\s+", re.I)
_LEADING_FILLER = vre(r"^(?:[-–•*+]\s*|\d+(?:\.\d+)*[.)]\s*|[a-zđ]\)\s*|(?:đề nghị|yêu cầu|giao|theo đó|cụ thể)\s*,?\s*)+", re.I)
MAX_TASK_CHARS = 200

# Confidence by cue (calibrated on the gold set, see ``cchc eval``).
CONF_DAY_CUE = 0.93  # "trước ngày 31/7/2021": the commonest and least ambiguous form
CONF_PERIOD_CUE = 0.85  # "hoàn thành trong quý II/2020": resolved to the period's last day
CONF_RELATIVE = 0.8  # "trong thời hạn 15 ngày kể từ ngày ký": resolved against the document date
CONF_UNRESOLVED = 0.6  # recurring or relative to an unknown date: no single date


def _cue_before(ctx: Context, d: DateMention) -> bool:
    window = ctx.view[max(0, d.start - _CUE_WINDOW):d.start]
    window = re.split(r"[.;\n]", window)[-1]
    if _CUE.search(window):
        return True
    # "hoàn thành ... trong quý II/2020" with a few words between.
    return d.precision in ("month", "quarter", "year") and bool(
        _COMPLETE_WITHIN.search(window))


def _clause(ctx: Context, cue_start: int) -> tuple[int, str]:
    """The clause a deadline ends: from the last clause boundary before it."""
    window_start = max(0, cue_start - 400)
    window = ctx.doc.text[window_start:cue_start]
    cut = 0
    for m in _CLAUSE_START.finditer(window):
        if cue_start - (window_start + m.end()) > 8:
            cut = m.end()
    return window_start + cut, window[cut:]


def _task_and_responsible(ctx: Context, cue_start: int) -> tuple[str | None, str | None]:
    _, clause = _clause(ctx, cue_start)
    clause = _LEADING_FILLER.sub("", clause.strip(" ,")).strip(" ,")
    clause = _TRAILING_CUE.sub("", clause)
    responsible = None
    verb = _VERB.search(clause)
    if verb and verb.start() > 0:
        head = _REPORTED.sub("", clause[:verb.start()]).strip(" ,")
        if _RESPONSIBLE_HINT.search(head) and len(head) < 120:
            responsible = head
            clause = clause[verb.start():]
            clause = re.sub(r"^(?:phải|có trách nhiệm)\s+", "", clause, flags=re.I)
    label = None
    if responsible is None:
        for label in _ASSIGNEE_LABEL.finditer(ctx.doc.text, max(0, cue_start - 700), cue_start):
            pass
        if label:
            responsible = label.group("who").strip(" .;")
    if label and _TIME_LABEL.match(clause) or (label and len(clause.split()) < 4):
        # "- Thời gian thực hiện: hoàn thành trong quý II/2020": the task is the item above the labels.
        item_end = ctx.doc.text.rfind("\n", 0, label.start())
        item_start = ctx.doc.text.rfind("\n", 0, max(0, item_end))
        clause = _LEADING_FILLER.sub("", ctx.doc.text[item_start + 1:item_end].strip())
    clause = _EARLIER_DEADLINE.sub("", clause)  # "báo cáo … trước ngày 15/6/2020 và [trước ngày 15/12/2020]"
    task = clause.strip(" ,:")[:MAX_TASK_CHARS] or None
    return task, responsible


_TASK_HEADERS = ("nhiệm vụ", "nội dung", "công việc", "tên", "hoạt động")


def _table_row(ctx: Context, pos: int) -> tuple[str | None, str | None] | None:
    """(task, responsible) from the table row holding ``pos``, read by the table's header."""
    from .vocab import vocab

    for table in ctx.doc.tables:
        if not table.rows or not (table.rows[0][0].start <= pos <= table.rows[-1][-1].end):
            continue
        header = [canonical_key(c.text) for c in table.rows[0]]
        for row in table.rows[1:]:
            if row and row[0].start <= pos <= row[-1].end:
                def column(names) -> str | None:
                    keys = [canonical_key(n) for n in names]
                    i = next((i for i, h in enumerate(header) if any(h.startswith(k) for k in keys)), None)
                    return row[i].text.strip() or None if i is not None and i < len(row) else None
                task = column(_TASK_HEADERS) or max((c.text for c in row), key=len)
                return task[:MAX_TASK_CHARS], column(vocab()["unit_table_headers"])
    return None


def _earliest_possible(ctx: Context) -> str | None:
    """No deadline falls before the document's own date (an official document's issue date)
    or, in a news text, before the latest directive it reports on."""
    if ctx.header.get("kind") == "official" and ctx.header.get("date"):
        return ctx.header["date"]
    dated = [s.value["date"] for s in ctx.spans.get("references", []) if s.value.get("date")]
    return max(dated) if dated else None


def _add_days(start: date, n: int, working: bool) -> date:
    if not working:
        return start + timedelta(days=n)
    day = start
    while n > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            n -= 1
    return day


class Deadlines:
    name = "deadlines"

    def extract(self, ctx: Context) -> Iterator[Span]:
        last_responsible: tuple[int, str] | None = None
        not_before = _earliest_possible(ctx)
        for d in ctx.dates:
            if not _cue_before(ctx, d):
                continue
            if not_before and d.period_end < not_before:
                continue  # "nhà đất ... trước ngày 01-7-1991": a cut-off in the past, not a task's deadline
            cue_start = d.start
            window = ctx.view[max(0, d.start - _CUE_WINDOW):d.start]
            cue = _CUE.search(window) or _COMPLETE.search(window)
            if cue:
                cue_start = max(0, d.start - _CUE_WINDOW) + cue.start()
            in_table = _table_row(ctx, cue_start)
            task, responsible = in_table if in_table else _task_and_responsible(ctx, cue_start)
            paragraph_start = ctx.doc.text.rfind("\n", 0, cue_start)
            if responsible is None and last_responsible and last_responsible[0] > paragraph_start:
                responsible = last_responsible[1]  # "...; báo cáo kết quả trước ngày ...": same subject
            if responsible:
                last_responsible = (cue_start, responsible)
            if d.precision == "day":
                iso, resolved, conf = d.date, None, CONF_DAY_CUE
            else:
                iso, conf = d.period_end, CONF_PERIOD_CUE
                resolved = f"last day of the {d.precision}"
            value = {"date": iso, "task": task, "responsible": responsible, "resolved": resolved, "recurring": None}
            yield ctx.span("deadline", cue_start, d.end, value, conf, "deadlines.cue")
        yield from self._relative(ctx)
        yield from self._recurring(ctx)

    def _relative(self, ctx: Context) -> Iterator[Span]:
        doc_date = ctx.header.get("date")
        for m in _RELATIVE.finditer(ctx.view):
            anchor = m.group("anchor").lower()
            signed = anchor.startswith(("ký", "ban hành"))
            iso, resolved, conf = None, None, CONF_UNRESOLVED
            if signed and doc_date:
                due = _add_days(date.fromisoformat(doc_date), int(m.group("n")), bool(m.group("work")))
                iso = due.isoformat()
                resolved = f"{m.group('n')} {'working ' if m.group('work') else ''}days after the document date {doc_date}"
                conf = CONF_RELATIVE
            task, responsible = _task_and_responsible(ctx, m.start())
            end = m.start("anchor") + len(m.group("anchor").rstrip()) if signed else m.end("work") if m.group("work") else m.end("n") + 5
            value = {"date": iso, "task": task, "responsible": responsible, "resolved": resolved, "recurring": None}
            yield ctx.span("deadline", m.start(), end, value, conf, "deadlines.relative")

    def _recurring(self, ctx: Context) -> Iterator[Span]:
        for m in _RECURRING.finditer(ctx.view):
            task, responsible = _task_and_responsible(ctx, m.start())
            day = f"{m.group('d')}/{m.group('m')}" if m.group("m") else m.group("d")
            value = {"date": None, "task": task, "responsible": responsible, "resolved": None,
                     "recurring": f"day {day} of every {m.group('p')}"}
            yield ctx.span("deadline", m.start(), m.end(), value, CONF_UNRESOLVED, "deadlines.recurring")
