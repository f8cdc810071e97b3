"""Deadlines: when a task must be done, with the task and the unit that owes it.

How Vietnamese official texts write a deadline (Nghị định 30/2020 layout, plans and
their task tables), and what each form resolves to:

* a cue before a date: "trước ngày 31/7/2021", "chậm nhất ngày …", "hạn chót …",
  "trước 17 giờ 00 phút, ngày …", "hoàn thành trong tháng 6/2021", "Tiến độ: Quý II/2024";
  a month, quarter or half year is due on its last day;
* a task table whose column is headed "Thời gian hoàn thành" / "Thời gian thực hiện" /
  "Tiến độ": a month or quarter alone in it ("Tháng 02/2024", "Quý IV/2025",
  "Quý II, III/2015") is due on the period's last day, and the row gives the task and
  the lead unit; a plan's item with "- Thời gian thực hiện: Quý II/2020" likewise;
* "trong tháng 01/2026", "trong quý I năm 2026" after a task; a month, quarter or day
  written without its year ("hoàn thành trong tháng 10", "trước ngày 15/12") takes the
  year of the plan or of the document date, and says so;
* "trong thời hạn 15 ngày kể từ ngày ký": relative to the date of an official document that says it
  (a news page relaying such a rule gives no signing day: the rule is kept without a date);
* "trước ngày 15 hằng tháng", "trước ngày 30/11 hằng năm": recurring, kept as a rule
  (``nlp.recurrence``) with no single date.

Not deadlines: target years ("đến năm 2030"), data windows ("số liệu tính đến ngày …"),
validity ("có hiệu lực đến …"), event dates, a plan's period. The end of a campaign
period ("đến hết ngày …") is at most a low-confidence deadline.

Every deadline says how its date was resolved (``resolution``: day, month_end,
quarter_end, half_end, year_end, relative, recurring; ``year_from`` when the text gave
no year), where it was read (``where``: table, label, prose) and by which cue.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Iterator

from extractors.document import Cell
from nlp.keys import canonical_key
from nlp.span import Span

from . import recurrence
from .base import Context
from .dates import DateMention, PartialDate, find_partial_dates
from .ranges import SpanIndex
from .tables import document_tables
from .vocab import vocab, vre

# --- confidence: how often a deadline read this way is one (reasons beside each) -----------
CONF_DAY_CUE = 0.93  # "trước ngày 31/7/2021": the commonest form, almost never anything else
CONF_TABLE_PERIOD = 0.9  # a month or quarter in a plan's completion column: the plan's own convention
CONF_PERIOD_CUE = 0.87  # "hoàn thành trong quý II/2020": an explicit completion cue before a period
CONF_LABEL_PERIOD = 0.82  # "- Thời gian thực hiện: Quý II/2020": an execution label, read as its period's end
CONF_RELATIVE = 0.8  # "trong thời hạn 15 ngày kể từ ngày ký": right when the document date is right
CONF_RECURRING = 0.85  # "trước ngày 15 hằng tháng": the rule is explicit; it has no single date
CONF_WITHIN = 0.72  # "… xây dựng kế hoạch trong tháng 01/2026": no completion word, a task verb only
CONF_YEAR_END = 0.6  # "hoàn thành trong năm 2025", "Năm 2025" in a completion column: targets look alike
CONF_PERIOD_END = 0.4  # "đến hết ngày 30/9/2025": the end of a campaign period, borderline by the rules
CONF_UNRESOLVED = 0.6  # relative to a day the text does not give ("kể từ ngày nhận được")
# A year the text did not write (taken from the plan or the document date) is one more
# inference: the same form loses this much.
YEAR_FROM_DOCUMENT_PENALTY = 0.1

MAX_TASK_CHARS = 240
MAX_RESPONSIBLE_CHARS = 100

# --- patterns ---------------------------------------------------------------------------------
# A clock time between the cue and the date: "trước 17 giờ 00 phút, ngày", "trước 16h30 ngày", "17:00".
_CLOCK = r"(?:\d{1,2}\s*(?:giờ|h|:)\s*(?:\d{1,2}\s*(?:phút|')?)?\s*(?:\(?\s*(?:sáng|chiều|tối)\s*\)?)?\s*,?\s*)"
_FILLER = r"\s*:?\s*(?:là\s+)?(?:vào\s+)?" + _CLOCK + r"?(?:ngày\s*)?$"
# Cues that make the date right after them a deadline, each with its kind.
_CUES = [
    ("deadline", vre(r"(?<!\w)(?:trước|chậm\s+nhất(?:\s+là)?(?:\s+(?:vào|trong|trước))?|muộn\s+nhất(?:\s+là)?|"
                     r"hạn\s+chót(?:\s+là)?|hạn\s+cuối(?:\s+cùng)?(?:\s+là)?|không\s+muộn\s+hơn|không\s+quá|"
                     r"hạn\s+nộp(?:\s+hồ\s+sơ)?|xong\s+trước|kết\s+thúc\s+trước|"
                     r"thời\s+hạn(?:\s+(?:hoàn\s+thành|nộp|gửi|báo\s+cáo|thực\s+hiện|cuối\s+cùng))?|"
                     r"thời\s+gian\s+hoàn\s+thành|tiến\s+độ(?:\s+(?:hoàn\s+thành|thực\s+hiện))?)" + _FILLER, re.I)),
    # "Hạn cuối nhận bài dự thi là ngày …", "Thời hạn nhận hồ sơ: đến hết ngày …"
    ("deadline", vre(r"(?<!\w)(?:thời\s+hạn|hạn\s+chót|hạn\s+cuối(?:\s+cùng)?|hạn\s+nộp)(?P<what>(?:\s+[^\s\d.;:]+){1,8}?)\s*(?::|là)"
                     r"\s*(?:(?:đến\s+hết|đến|trước|chậm\s+nhất|vào)\s+)?" + _FILLER, re.I)),
    ("completion", vre(r"(?<!\w)hoàn\s+thành(?:\s+xong)?(?:[^.;:\n]{0,60}?\s(?:trong|trước|vào|ngay\s+trong))?" + _FILLER, re.I)),
    ("label", vre(r"(?<!\w)thời\s+gian(?:\s+(?:thực\s+hiện|triển\s+khai))?\s*:\s*(?:(?:dự\s+kiến|trong)\s+)*$", re.I)),
    ("within", vre(r"(?<!\w)(?:ngay\s+)?(?:trong|vào)\s+$", re.I)),
    ("period_end", vre(r"(?<!\w)đến\s+hết(?:\s+ngày)?\s*$", re.I)),
]
# What a cue may stand before, by kind: a year alone is a target unless completion says so.
_CUE_PRECISIONS = {
    "deadline": {"day", "month", "quarter", "half"},
    "completion": {"day", "month", "quarter", "half", "year"},
    "label": {"month", "quarter", "half"},
    "within": {"month", "quarter", "half"},
    "period_end": {"day"},
}
_CUE_CONF = {"deadline": CONF_DAY_CUE, "completion": CONF_PERIOD_CUE, "label": CONF_LABEL_PERIOD,
             "within": CONF_WITHIN, "period_end": CONF_PERIOD_END}
# How far before a date its cue may start ("hoàn thành việc rà soát … trong quý II/2020").
_CUE_WINDOW = 90
# "trước tháng 6/2026", "trước quý III": before the period begins (a day is due on itself: "trước ngày 30/6").
_BEFORE_PERIOD = vre(r"(?<!\w)trước\s*$", re.I)
_ONLY_FILLER = vre(r"\s*(?:ngày\s*)?$", re.I)
# Right before a date, these make it no deadline: a data window, validity, a target year.
_NOT_A_DEADLINE = vre(
    r"(?:(?:tính|số\s+liệu)\s+(?:từ|đến)(?:\s+hết)?|hiệu\s+lực(?:\s+thi\s+hành)?(?:\s+(?:từ|đến|kể\s+từ))?(?:\s+hết)?|"
    r"có\s+giá\s+trị(?:\s+(?:đến|từ))?(?:\s+hết)?|phấn\s+đấu(?:\s+đến)?(?:\s+hết)?|"
    r"(?<!\w)từ|giai\s+đoạn|nhiệm\s+kỳ)\s*(?:ngày\s*)?$", re.I)
_NOT_A_DEADLINE_CHARS = 40
# "Hồ sơ tiếp nhận trước ngày 01/7/2025 tiếp tục được giải quyết": papers named by when they were received,
# issued or arose (a participle right after the noun opening the clause) are a cut-off, not a task due.
_CUT_OFF = vre(r"\s*(?:[-–•*+]\s*)?(?:các\s+|những\s+|đối\s+với\s+(?:các\s+)?)?(?:hồ\s+sơ|giấy\s+tờ|văn\s+bản|"
               r"thủ\s+tục|trường\s+hợp|kết\s+quả|giấy\s+phép|chứng\s+chỉ)(?:\s+[^\s\d,;:]+){0,3}?\s+(?:đã\s+)?(?:được\s+)?"
               r"(?:tiếp\s+nhận|cấp|ban\s+hành|phát\s+sinh|giải\s+quyết|thụ\s+lý)\s*$", re.I)
# "trong tháng 6/2024, đã tiếp nhận …": what was done is no deadline.
_PAST = vre(r"(?<!\w)(?:đã|vừa)(?!\w)", re.I)
_INSTRUCTION = vre(r"(?<!\w)(?:yêu cầu|đề nghị|chỉ đạo|giao|phải|cần|có trách nhiệm)(?!\w)", re.I)
_COMPLETION = vre(r"(?<!\w)hoàn\s+thành(?!\w)", re.I)
# What is held on a date is an event, not a task due by it.
_EVENT = vre(r"(?<!\w)(?:hội nghị|hội thi|hội thảo|tọa đàm|diễn đàn|đại hội|lễ|cuộc thi|buổi|phiên|kỳ họp|"
             r"đối thoại|giao lưu|ra mắt|khai trương|phát động|chung kết|vòng)(?!\w)", re.I)
_TASK_VERBS = (r"phải|có trách nhiệm|gửi|báo cáo|hoàn thành|hoàn thiện|đăng ký|nộp|thực hiện|triển khai|tổng hợp|"
               r"xây dựng|rà soát|(?<!các\s)(?<!,\s)tổ chức|trình|ban hành|tham mưu|chủ trì|cập nhật|kiện toàn|"
               r"công khai|đánh giá|lựa chọn|đề xuất|sơ kết|tổng kết|phê duyệt|kiểm tra|hướng dẫn|bố trí|xử lý|"
               r"giải quyết|số hóa|cung cấp|phối hợp|chuẩn bị|tiếp nhận|thẩm định|góp ý|cho ý kiến|nghiên cứu|"
               r"thống kê|quán triệt|tuyên truyền|phổ biến|sửa đổi|điều chỉnh|tập huấn|khảo sát|đôn đốc|theo dõi|"
               r"làm đầu mối|bảo đảm|đảm bảo|chỉ đạo|xác định|lập|ký|lấy ý kiến|trao giải")
_TASK_VERB = vre(rf"(?<!\w)(?:{_TASK_VERBS})(?!\w)", re.I)
# Where the subject of a clause ends: its verb, or words that open the predicate ("… căn cứ chức năng …").
_SUBJECT_END = vre(rf"(?<!\w)(?:{_TASK_VERBS}|căn cứ|trên cơ sở|chủ động|tiếp tục|khẩn trương)(?!\w)", re.I)

_COORDINATION = vre(r"chủ trì|phối hợp", re.I)

# Recurring: "trước ngày 15 hằng tháng", "trước ngày 01/6 và 15/11 hằng năm",
# "trước ngày 15 của tháng cuối quý", "định kỳ hằng năm (trước ngày 15/11", "Hằng tháng, trước ngày 20".
_EVERY = r"(?:hằng|hàng|mỗi)\s+(?P<p>tháng|quý|năm)"
_NO_YEAR_AFTER = r"(?!\s*(?:/|\.|-|năm)\s*\d)"
_DAY_LIST = (rf"ngày\s+(?P<days>\d{{1,2}}(?:(?:\s+tháng\s+|/|\.)\d{{1,2}})?{_NO_YEAR_AFTER}"
             rf"(?:\s*(?:,|và|hoặc)\s*(?:ngày\s+)?\d{{1,2}}(?:(?:\s+tháng\s+|/|\.)\d{{1,2}})?{_NO_YEAR_AFTER})*)")
_QUARTER_MONTH = r"(?:\s+(?:của\s+)?tháng\s+(?P<qm>cuối|đầu)\s+(?:của\s+)?(?:mỗi\s+|hằng\s+|hàng\s+)?quý(?P<next>\s+(?:sau|tiếp\s+theo))?)"
_RECURRING_AFTER = vre(r"(?:trước|chậm\s+nhất(?:\s+là)?|vào|hạn\s+chót(?:\s+là)?)\s+" + _DAY_LIST + _QUARTER_MONTH + r"?"
                       r"\s*(?:\)\s*)?,?\s*" + _EVERY, re.I)
_RECURRING_BEFORE = vre(r"(?:định\s+kỳ\s+)?" + _EVERY + r"(?!\s+\d)\s*[,(:]?\s*(?:[^.;()\n\d]{0,60}?\s)?"
                        r"(?:trước|chậm\s+nhất(?:\s+là)?|vào)\s+" + _DAY_LIST + _QUARTER_MONTH + r"?", re.I)
# "định kỳ 6 tháng (trước ngày 15/6) và năm (trước ngày 15/12)": periodic reports, each due yearly.
_RECURRING_REPORT = vre(r"định\s+kỳ\s+(?:báo\s+cáo\s+)?(?:(?:hằng|hàng)\s+)?(?P<p>6\s+tháng|sáu\s+tháng|năm|quý)(?!\s+\d)"
                        r"(?:\s+(?:đầu|cuối)\s+năm)?\s*[,(:]?\s*(?:[^.;()\n\d]{0,40}?\s)?"
                        r"(?:trước|chậm\s+nhất(?:\s+là)?|vào)\s+" + _DAY_LIST + _QUARTER_MONTH + r"?", re.I)
_LIST_DAY = re.compile(r"(\d{1,2})(?:(?:\s+tháng\s+|/|\.)(\d{1,2}))?")
# Words that make a day without a year part of a recurring rule, not a dated deadline.
_RECURRING_NEAR = vre(r"(?<!\w)(?:hằng|hàng|mỗi)\s+(?:tháng|quý|năm)|định\s+kỳ", re.I)

# Relative: "trong thời hạn 15 ngày kể từ ngày ký", "chậm nhất 05 ngày làm việc kể từ ngày nhận được".
_RELATIVE = vre(
    r"(?:trong\s+(?:thời\s+hạn|vòng|thời\s+gian)|chậm\s+nhất(?:\s+là)?|không\s+quá|sau)\s+"
    r"(?:[^\d\n(]{0,20}\(\s*)?(?P<n>\d{1,3})\s*\)?\s+(?P<unit>ngày|tháng)(?P<work>\s+làm\s+việc)?\s*,?\s*"
    r"(?:kể|tính)\s+từ\s+(?:ngày\s+)?(?P<anchor>[^.;\n]{0,60})", re.I)
_DOCUMENT_WORD = r"(?:kế\s+hoạch|quyết\s+định|văn\s+bản|chỉ\s+thị|thông\s+báo|công\s+văn)"
_SIGNED = vre(rf"^(?:(?:ký(?:\s+ban\s+hành)?|ban\s+hành)(?:\s+{_DOCUMENT_WORD}\s+này)?|{_DOCUMENT_WORD}\s+(?:này\s+)?"
              r"(?:được\s+)?(?:ký|ban\s+hành))", re.I)
# "kể từ ngày ký Quyết định số 125/QĐ-UBND": the signing of another, numbered document, not of this one.
_ANOTHER_DOCUMENT = vre(r"\s*[^\d,;:()]{0,30}?(?:số\s*:?\s*)?\d{1,6}(?:-\d{4})?\s*/", re.I)
_EFFECTIVE = vre(r"^(?:(?:kế\s+hoạch|quyết\s+định|văn\s+bản|chỉ\s+thị)\s+(?:này\s+)?)?có\s+hiệu\s+lực", re.I)
_IN_FORCE_ON_SIGNING = vre(r"có\s+hiệu\s+lực(?:\s+thi\s+hành)?\s+(?:kể\s+)?từ\s+ngày\s+ký", re.I)

# Task and responsible unit of a clause.
_CLAUSE_START = vre(r"[.;:!?\n|]|(?:,\s*)?(?:đồng thời|sau đó)\b", re.I)
_REPORTED = vre(r".*?(?:nêu rõ|cho biết|đề nghị|yêu cầu|theo đó|quy định|chỉ đạo|giao)\s*[,:]?\s+", re.I)
_LEADING_FILLER = vre(r"(?:[-–•*+]\s*|\d+(?:\.\d+)*[.)]\s*|[a-zđ]\)\s*|[IVX]+\.\s*|"
                      r"(?:đề nghị|yêu cầu|giao|theo đó|cụ thể|định kỳ|và|hoặc|đột xuất)\s*,?\s*)+", re.I)
_TRAILING_CUE = vre(r"[\s,(]*(?:(?:phải\s+)?(?:được\s+)?(?:hoàn thành(?:\s+xong)?|trước|chậm nhất(?:\s+là)?|hạn chót|trong|vào|"
                    r"đến hết|định kỳ|hằng|hàng|mỗi)\s*)+$", re.I)
_EARLIER_DEADLINE = vre(r"\s+(?:trước|chậm nhất|hạn chót)\s+(?:ngày\s+)?\d.*$", re.I | re.S)
_RESPONSIBLE_HINT = vre(r"(?<!\w)(?:cơ quan|đơn vị|phòng|sở|ban|ngành|ubnd|ủy ban|trường|trung tâm|văn phòng|"
                        r"công chức|cán bộ|chủ tịch|thủ trưởng|giám đốc|các|mỗi)(?!\w)", re.I)
_LEAD = vre(r"^[^;]{0,80}?\bchủ\s+trì", re.I)
_ASSIGNEE_LABEL = vre(r"(?:cơ quan|đơn vị|bộ phận)(?:\s*,\s*đơn vị)?\s+(?:thực hiện|chủ trì|thực hiện chính|"
                      r"chịu trách nhiệm)[^:\n]{0,25}:\s*(?P<who>[^\n]+)", re.I)
_ITEM_LABEL = vre(r"\s*[-–•*+]?\s*\**\s*(?:cơ quan|đơn vị|bộ phận|thời gian|thời hạn|tiến độ|sản phẩm|kết quả|kinh phí|"
                  r"trách nhiệm)[^:\n]{0,40}:", re.I)
_NEXT_LABEL = vre(r"\s[-–]\s*(?:thời gian|thời hạn|tiến độ)", re.I)
_MARKUP = re.compile(r"\*+|_{2,}")


# --- the context of a deadline: its task and who owes it -----------------------------------

@dataclass(slots=True)
class Owner:
    task: str | None = None
    responsible: str | None = None  # the lead unit's canonical name, else the group as written
    units: tuple[str, ...] = ()  # canonical names of the units named as responsible, lead first
    written: str | None = None  # the responsible part as written


def _words(text: str | None, limit: int) -> str | None:
    """``text`` tidied and cut to at most ``limit`` characters at a word boundary (never mid-word)."""
    if not text:
        return None
    text = re.sub(r"\s+", " ", _MARKUP.sub("", text)).strip(" ,;:-–.")
    if len(text) <= limit:
        return text or None
    cut = text[:limit + 1]
    cut = cut[:cut.rfind(" ")] if " " in cut else cut[:limit]
    return cut.rstrip(" ,;:-–") + " …"


def _units_in(ctx: Context, start: int, end: int) -> list[tuple[int, str]]:
    """(position, canonical) of the unit mentions the Units field found in ``[start, end)``."""
    return [(s.start, s.value["canonical"]) for s in ctx.index("units").within(start, end)]


def _owner_of(ctx: Context, start: int, end: int) -> tuple[str | None, tuple[str, ...], str | None]:
    """(responsible, units, as written) of the text ``[start, end)`` naming who must act."""
    written = ctx.doc.text[start:end]
    units = _units_in(ctx, start, end)
    names = tuple(dict.fromkeys(name for _, name in units))
    if names:
        lead = _LEAD.match(written)
        if lead:  # "Sở Nội vụ chủ trì, phối hợp với …": the unit before "chủ trì" leads
            before = [name for pos, name in units if pos < start + lead.end()]
            if before:
                names = tuple(dict.fromkeys((before[-1], *names)))
        return names[0], names, _words(written, MAX_RESPONSIBLE_CHARS)
    short = _words(written, MAX_RESPONSIBLE_CHARS)
    return short, (), short


@dataclass(slots=True)
class _Row:
    start: int
    end: int
    task: str | None
    owner_cell: Cell | None
    time_cell: Cell
    kind: str  # completion | execution | when (see vocab "deadline_columns")


def _header_key(text: str) -> str:
    key = canonical_key(_MARKUP.sub("", text))
    key = re.sub(r"\(.*?\)", "", key)
    return re.sub(r"\s+", " ", key).strip(" :.*")


@lru_cache(maxsize=1)
def _column_names() -> tuple[dict[str, str], tuple[str, ...], tuple[str, ...]]:
    v = vocab()
    names = {canonical_key(k): kind for k, kind in v["deadline_columns"].items() if not k.startswith("_")}
    # "Thời gian hoàn thành theo kế hoạch", "Thời hạn (dự kiến)": a due column with its qualifier; a bare
    # "Thời gian" stays exact (it also heads agendas), and "… thực tế" (when it was done) is no qualifier
    qualifiers = [canonical_key(q) for q in v["deadline_column_qualifiers"]]
    times = dict(names)
    times.update({f"{name} {q}": kind for name, kind in names.items() if kind != "when" for q in qualifiers})
    tasks = tuple(sorted({canonical_key(k) for k in v["task_columns"]}, key=len, reverse=True))
    owners = tuple(sorted({canonical_key(k) for k in v["responsible_columns"]}, key=len, reverse=True))
    return times, tasks, owners


def _columns(row: list[Cell]) -> tuple[int, str, int | None, int | None] | None:
    """(time column, its kind, task column, responsible column) when ``row`` is a task table's header."""
    times, tasks, owners = _column_names()
    keys = [_header_key(c.text) for c in row]
    time = next(((i, times[k]) for i, k in enumerate(keys) if k in times), None)
    if time is None:
        return None
    task = next((i for i, k in enumerate(keys) if i != time[0] and k.startswith(tasks)), None)
    owner = next((i for i, k in enumerate(keys) if i != time[0] and k.startswith(owners)), None)
    return time[0], time[1], task, owner


def _cell(row: list[Cell], col: int | None, width: int) -> Cell | None:
    """The row's cell under header column ``col``; rows of another width are aligned on the right
    (a numbering cell lost as a page number, a header row glued to the text before it)."""
    if col is None:
        return None
    i = col if len(row) == width else len(row) - (width - col)
    return row[i] if 0 <= i < len(row) else None


def _task_rows(ctx: Context) -> list[_Row]:
    """Rows of every task table, a row continued over a page break joined to the row it continues."""
    if "task_rows" in ctx.cache:
        return ctx.cache["task_rows"]
    rows: list[_Row] = []
    layout = None  # the last task table's columns: a table cut by a page break has no header
    for table in document_tables(ctx):
        body = table.rows
        for i, row in enumerate(table.rows[:3]):
            found = _columns(row)
            if found:
                layout, body = (*found, len(row)), table.rows[i + 1:]
                break
        else:
            if layout is None or not any(len(r) == layout[4] for r in table.rows):
                continue
        time_col, kind, task_col, owner_col, width = layout
        for row in body:
            if len(row) < 2:
                continue  # a section heading across the table
            time_cell = _cell(row, time_col, width)
            task_cell = _cell(row, task_col, width)
            owner_cell = _cell(row, owner_col, width)
            if time_cell is None:
                continue
            task_text = task_cell.text if task_cell else max((c.text for c in row), key=len)
            if rows and not time_cell.text.strip() and not (owner_cell and owner_cell.text.strip()) and task_text:
                last = rows[-1]  # "| khu chế xuất, … | | |": the row above, continued
                last.task = f"{last.task or ''} {task_text}".strip()
                continue
            rows.append(_Row(row[0].start, row[-1].end, task_text, owner_cell, time_cell, kind))
    ctx.cache["task_rows"] = rows
    return rows


@dataclass(frozen=True, slots=True)
class _TimeCell:
    start: int
    end: int
    row: "_Row"


def _row_at(ctx: Context, pos: int) -> _Row | None:
    """The task row whose time cell holds ``pos`` (the cells of a table never overlap)."""
    if "time_cells" not in ctx.cache:
        ctx.cache["time_cells"] = SpanIndex(_TimeCell(r.time_cell.start, r.time_cell.end, r) for r in _task_rows(ctx))
    cell = ctx.cache["time_cells"].last_at_or_before(pos)
    return cell.row if cell is not None and pos < cell.end else None


def _row_owner(ctx: Context, row: _Row) -> Owner:
    task = _words(row.task, MAX_TASK_CHARS)
    if row.owner_cell is None or not row.owner_cell.text.strip():
        return Owner(task)
    responsible, units, written = _owner_of(ctx, row.owner_cell.start, row.owner_cell.end)
    return Owner(task, responsible, units, written)


def _boundaries(text: str, start: int, end: int) -> Iterator[re.Match[str]]:
    """Clause boundaries in ``text[start:end]``; a line break only where the next line does not go on
    in lower case (texts wrapped at a fixed width break lines mid-sentence: "báo cáo kết\nquả …")."""
    for m in _CLAUSE_START.finditer(text, start, end):
        if m.group() == "\n" and _wrapped(text, m.start()):
            continue
        yield m


# A line of this length that ends in a word, followed by a line that is not a list item, was
# wrapped at a fixed width (crawls of the legal portals wrap at 70-85 characters); a longer line is
# a paragraph of its own.
WRAP_MIN_CHARS, WRAP_MAX_CHARS = 50, 90
_LIST_MARK = re.compile(r"[-–•*+]|\d+(?:\.\d+)*[.)]|[a-zđ]\)|[IVX]+\.")


def _wrapped(text: str, newline: int) -> bool:
    """Does the line break at ``newline`` go on with the same sentence (a text wrapped at a fixed width)?"""
    following = text[newline + 1:newline + 41].lstrip(" \t*")
    if following[:1].islower():
        return True
    previous = text[text.rfind("\n", 0, newline) + 1:newline].rstrip(" \t*")
    return (WRAP_MIN_CHARS <= len(previous) <= WRAP_MAX_CHARS and "|" not in previous and previous[-1:].isalnum()
            and not _LIST_MARK.match(following))


def _clause_start(ctx: Context, cue_start: int) -> int:
    """Where the clause a deadline ends begins: the last clause boundary before it."""
    window_start = max(0, cue_start - 400)
    cut = 0
    for m in _boundaries(ctx.doc.text, window_start, cue_start):
        if m.group() != ":" or cue_start - m.end() > 8:  # "Thời hạn: trước ngày …" is one clause
            cut = m.end() - window_start
    return window_start + cut


def _labelled_item(ctx: Context, cue_start: int) -> Owner | None:
    """ "1.2. Task …\n- Cơ quan thực hiện: X chủ trì …\n- Thời gian thực hiện: Quý II/2020": the task is
    the item above its labels, the responsible unit the one its label names."""
    text = ctx.doc.text
    line_start = text.rfind("\n", 0, cue_start) + 1
    if not _ITEM_LABEL.match(text, line_start):
        return None
    owner, task = None, None
    pos = line_start
    for _ in range(8):  # walk up over the item's label lines to its heading
        if pos <= 0:
            break
        prev_start = text.rfind("\n", 0, pos - 1) + 1
        line = text[prev_start:pos - 1]
        label = _ASSIGNEE_LABEL.search(line)
        if label and owner is None:
            who = prev_start + label.start("who")
            owner = _owner_of(ctx, who, who + len(label.group("who").rstrip(" .;")))
        if not _ITEM_LABEL.match(line):
            line = line.strip()
            filler = _LEADING_FILLER.match(line)
            task = line[filler.end():] if filler else line
            break
        pos = prev_start
    same_line = _ASSIGNEE_LABEL.search(text, line_start, cue_start)  # "- Cơ quan thực hiện: … -Thời gian …"
    if owner is None and same_line:
        who_end = min(same_line.end("who"), cue_start)
        owner = _owner_of(ctx, same_line.start("who"), _assignee_end(text, same_line.start("who"), who_end))
    responsible, units, written = owner or (None, (), None)
    return Owner(_words(task, MAX_TASK_CHARS), responsible, units, written)


def _assignee_end(text: str, start: int, end: int) -> int:
    """End of an assignee written on the same line as the next label ("… địa phương -Thời gian …")."""
    m = _NEXT_LABEL.search(text, start, end)
    return m.start() if m else end


def _subject_and_task(ctx: Context, start: int, end: int) -> Owner:
    """ "[Các đơn vị] [gửi báo cáo về Sở Nội vụ]" in ``text[start:end]``: who acts, and what they do."""
    text = ctx.doc.text
    while start < end and text[start] in " ,)*":
        start += 1
    lead = _LEADING_FILLER.match(text, start, end)
    start = lead.end() if lead else start
    trailing = _TRAILING_CUE.search(text, start, end)
    end = trailing.start() if trailing else end
    owner = Owner()
    verb = _SUBJECT_END.search(ctx.view, start, end)
    while verb and _COORDINATION.match(verb.group()):
        # "Sở Nội vụ chủ trì, phối hợp với Sở Tài chính tổng hợp …": the partners belong to who acts
        verb = _SUBJECT_END.search(ctx.view, verb.end(), end) or None
    head_end = verb.start() if verb else end
    reported = _REPORTED.match(ctx.view, start, head_end)
    head_start = reported.end() if reported else start
    head = text[head_start:head_end].strip(" ,")
    if head and len(head) < 120 and (_RESPONSIBLE_HINT.search(head) or _units_in(ctx, head_start, head_end)):
        head_start = text.index(head, head_start)
        owner.responsible, owner.units, owner.written = _owner_of(ctx, head_start, head_start + len(head))
        start = head_end  # "Ủy ban nhân dân các xã hoàn thành trong quý II": a subject and no task
    task = _OBLIGATION.sub("", text[start:end])
    owner.task = _words(_EARLIER_DEADLINE.sub("", task), MAX_TASK_CHARS)  # "… trước ngày 15/6 và [trước ngày 15/12]"
    return owner


_OBLIGATION = vre(r"^\s*(?:phải|có trách nhiệm|cần)\s+", re.I)


def _clause_owner(ctx: Context, cue_start: int, cue_end: int | None = None) -> Owner:
    """Task and responsible unit of the clause a deadline ends: "Các đơn vị gửi báo cáo … trước ngày …",
    or when nothing stands before the deadline, of the clause it opens: "Trong thời hạn 15 ngày …, các
    cơ quan xây dựng kế hoạch chi tiết", "; định kỳ trước ngày 15/11 hằng năm báo cáo kết quả …"."""
    owner = _subject_and_task(ctx, _clause_start(ctx, cue_start), cue_start)
    if (owner.task is None or len(owner.task.split()) < 2) and cue_end is not None:
        stop = next(_boundaries(ctx.doc.text, cue_end, cue_end + 400), None)
        after = _subject_and_task(ctx, cue_end, stop.start() if stop else min(len(ctx.doc.text), cue_end + 400))
        owner.task = _words(_PARENTHESIS.sub(" ", after.task or ""), MAX_TASK_CHARS)
        if owner.responsible is None:
            owner.responsible, owner.units, owner.written = after.responsible, after.units, after.written
    return owner


_PARENTHESIS = re.compile(r"\([^()]*\)")


_NUMBERING = vre(r"\s*\**\s*(?:\d+(?:\.\d+)*\.?|[a-zđ]\))\s*\**\s*", re.I)
_NUMBERING_ONLY = vre(r"\s*\**\s*(?:\d+(?:\.\d+)*\.?|[a-zđ]\))\s*\**\s*$", re.I)
_MAJOR_HEADING = vre(r"\s*\**\s*[IVX]+\.\s", re.I)
_SECTION_LEAD = vre(r"(?:giao|đối với|trách nhiệm của)\s+", re.I)
_GROUP_LEAD = vre(r"(?:các|ủy ban|ubnd|thủ trưởng|chủ tịch)(?!\w)", re.I)
_SECTION_WINDOW = 4000
MAX_HEADING_CHARS = 160


def _section_owner(ctx: Context, pos: int) -> tuple[str | None, tuple[str, ...], str | None]:
    """The unit a plan's section is about, for a clause with no subject of its own: "2. Sở Nội vụ:",
    "7. Các sở, ban, ngành tỉnh, Ủy ban nhân dân các xã, phường", "2.\nGiao Sở Lao động …:"."""
    text, view = ctx.doc.text, ctx.view
    line_end = text.rfind("\n", 0, pos)
    floor = max(0, pos - _SECTION_WINDOW)
    while line_end > floor:
        line_start = text.rfind("\n", 0, line_end) + 1
        if _MAJOR_HEADING.match(view, line_start, line_end):
            break  # "III. TỔ CHỨC THỰC HIỆN": the part the clause is in starts here
        numbered = _NUMBERING.match(view, line_start, line_end)
        prev_start = text.rfind("\n", 0, max(0, line_start - 1)) + 1
        after_number = bool(_NUMBERING_ONLY.match(view, prev_start, max(prev_start, line_start - 1)))
        if (numbered and numbered.end() > line_start or after_number) and line_end - line_start < MAX_HEADING_CHARS:
            body_start = numbered.end() if numbered else line_start
            lead = _SECTION_LEAD.match(view, body_start, line_end)
            body_start = lead.end() if lead else body_start
            units = _units_in(ctx, body_start, line_end)
            if (units and units[0][0] - body_start < 4) or _GROUP_LEAD.match(view, body_start, line_end):
                return _owner_of(ctx, body_start, line_end)
        line_end = line_start - 1
    return None, (), None


# "Trên cơ sở Kế hoạch này, các sở …": an adverbial before the subject.
_LEAD_IN = vre(r"\s*(?:trên cơ sở|căn cứ|để|nhằm|thực hiện|theo)[^,;]{0,120},\s*", re.I)


def _sentence_owner(ctx: Context, clause_start: int) -> tuple[str | None, tuple[str, ...], str | None]:
    """The subject at the start of the sentence when the deadline's clause has none:
    "Các sở, ban, ngành … căn cứ …; định kỳ trước ngày 15/11 hằng năm báo cáo …"."""
    text = ctx.doc.text
    # a sentence that ends right where the clause starts ("… dữ liệu.[ ]Kết quả …") is not this one
    start = max(text.rfind(". ", 0, clause_start + 1) + 2, text.rfind("\n", 0, clause_start) + 1, clause_start - 600)
    for _ in range(6):  # a sentence wrapped over lines starts at a line that does not go on in lower case
        if start <= 0 or not text[start:start + 1].islower():
            break
        start = text.rfind("\n", 0, start - 1) + 1
    numbered = _NUMBERING.match(ctx.view, start, clause_start)
    start = numbered.end() if numbered else start
    verb = _SUBJECT_END.search(ctx.view, start, clause_start)
    if verb is None or verb.start() - start > 150:
        return None, (), None
    lead_in = _LEAD_IN.match(ctx.view, start, verb.start())
    start = lead_in.end() if lead_in else start
    head = text[start:verb.start()]
    if not _RESPONSIBLE_HINT.search(head):
        return None, (), None
    return _owner_of(ctx, start, start + len(head.rstrip(" ,")))


# --- which dates are deadlines -------------------------------------------------------------

@dataclass(slots=True)
class _Hit:
    mention: DateMention
    kind: str  # cue kind, or "table"
    cue_start: int
    cue: str | None
    year_from: str | None = None  # when the text wrote no year: where it came from
    what: str | None = None  # "Hạn cuối nhận bài dự thi là …": what is due, named by the cue itself
    listed: bool = False  # a later day of a list: its cue stands before the list's first day


def _cue_before(ctx: Context, start: int, precision: str) -> tuple[str, int, str | None] | None:
    """(cue kind, cue start, what is due when the cue names it) of the cue a date at ``start`` follows."""
    window_start = max(0, start - _CUE_WINDOW)
    window = ctx.view[window_start:start]
    cut = max(window.rfind("."), window.rfind(";"))
    for newline in (i for i in _occurrences(window, "\n") if i > cut):
        # "… trước 16h30\nngày 30/6/2026": a cue and its date split over two lines stay one clause
        if not (_wrapped(ctx.doc.text, window_start + newline) or _ONLY_FILLER.match(window, newline + 1)):
            cut = newline
    if cut >= 0:
        window, window_start = window[cut + 1:], window_start + cut + 1
    if _NOT_A_DEADLINE.search(window[-_NOT_A_DEADLINE_CHARS:]):
        return None
    for kind, pattern in _CUES:
        m = pattern.search(window)
        if m and precision in _CUE_PRECISIONS[kind]:
            if _CUT_OFF.match(ctx.view, _clause_start(ctx, window_start + m.start()), window_start + m.start()):
                return None
            what = m.groupdict().get("what")
            return kind, window_start + m.start(), ctx.doc.text[window_start + m.start("what"):window_start + m.end("what")] if what else None
    return None


_SUBJECT_YEAR = vre(r"(?<!\w)năm\s+((?:19|20)\d\d)(?!\d)", re.I)


def _plan_year(ctx: Context) -> tuple[int, str] | None:
    """The year a date written without one belongs to: the one year a plan names in its subject
    ("Kế hoạch cải cách hành chính năm 2026"), else the document date's."""
    subject = " ".join(x for x in (ctx.header.get("subject"), ctx.header.get("title")) if x)
    years = {int(y) for y in _SUBJECT_YEAR.findall(subject)}
    doc_date = ctx.header.get("date")
    if len(years) == 1 and (not doc_date or min(years) >= int(doc_date[:4])):
        return min(years), "the plan's year"
    if doc_date:
        return int(doc_date[:4]), "the document date's year"
    return None


def _resolve_partial(ctx: Context, p: PartialDate) -> tuple[DateMention, str] | None:
    """A date written without its year, in the plan's year, or the first after the document date."""
    anchor = _plan_year(ctx)
    if anchor is None:
        return None
    year, source = anchor
    mention = p.resolve(year)
    doc_date = ctx.header.get("date")
    if mention and doc_date and source != "the plan's year" and mention.period_end < doc_date:
        mention, source = p.resolve(year + 1), "the year after the document date"
    return (mention, source) if mention else None


def _recurring_near(ctx: Context, start: int, end: int) -> bool:
    clause_start = _clause_start(ctx, start)
    after = ctx.view[end:end + 30]
    after = after[:min((after.find(c) for c in ".;\n" if c in after), default=len(after))]
    return bool(_RECURRING_NEAR.search(ctx.view[max(clause_start, start - 80):start]) or _RECURRING_NEAR.search(after))


# A news page may report a deadline already past, not one from years before it.
NEWS_PAST_DEADLINE_DAYS = 366


def _earliest_possible(ctx: Context) -> str | None:
    """No deadline falls before the document's own date (an official document's issue date)
    or, in a news text, before the latest directive it reports on or long before the page's date."""
    if ctx.header.get("kind") == "official" and ctx.header.get("date"):
        return ctx.header["date"]
    floors = [s.value["date"] for s in ctx.spans.get("references", []) if s.value.get("date")]
    if ctx.header.get("date"):
        floors.append((date.fromisoformat(ctx.header["date"]) - timedelta(days=NEWS_PAST_DEADLINE_DAYS)).isoformat())
    return max(floors) if floors else None


# Between two days of one list: "10/3, 10/6, 10/9 và 10/12/2024", "ngày 15/6 hoặc ngày 30/6/2026".
_LIST_JOIN = vre(r"\s*(?:,|;|và|hoặc)\s*(?:(?:và|hoặc)\s+)?(?:ngày\s*)?$", re.I)
MAX_LIST_JOIN_CHARS = 14


def _joined(view: str, end: int, start: int) -> bool:
    """Do the days ending at ``end`` and starting at ``start`` follow each other in one list?"""
    return 0 <= start - end <= MAX_LIST_JOIN_CHARS and bool(_LIST_JOIN.fullmatch(view, end, start))


def _list_years(view: str, full: list[DateMention], partial: list[PartialDate]) -> dict[int, int]:
    """Start -> year of each day written without a year in a list whose last day writes it
    ("trước ngày 10/3, 10/6, 10/9 và 10/12/2024": the year is written once, for the whole list)."""
    days = sorted([(p.start, p.end, None) for p in partial if p.precision == "day"]
                  + [(d.start, d.end, int(d.date[:4])) for d in full if d.precision == "day" and d.date])
    years: dict[int, int] = {}
    run: list[int] = []
    for k, (start, end, year) in enumerate(days):
        if run and not _joined(view, days[k - 1][1], start):
            run = []
        if year is None:
            run.append(start)
        else:
            years.update((s, year) for s in run)
            run = []
    return years


def _list_heads(view: str, mentions: list[DateMention]) -> dict[int, int]:
    """Start -> start of the first day of its list, for every later day of a list of days."""
    heads: dict[int, int] = {}
    previous: DateMention | None = None
    for d in mentions:
        if d.precision == "day" and previous is not None and previous.precision == "day" and _joined(
                view, previous.end, d.start):
            heads[d.start] = heads.get(previous.start, previous.start)
        previous = d
    return heads


def _hits(ctx: Context) -> Iterator[_Hit]:
    """Dates that are deadlines, with how each was recognised, in text order."""
    partial = find_partial_dates(ctx.view, ctx.dates)
    ctx.cache["partial_dates"] = partial
    candidates: list[tuple[DateMention, str | None]] = [(d, None) for d in ctx.dates]
    list_year = _list_years(ctx.view, ctx.dates, partial)
    for p in partial:
        if p.start in list_year:  # "trước ngày 10/3, 10/6 và 10/12/2024": the year the list writes once
            resolved = p.resolve(list_year[p.start])
            if resolved:
                candidates.append((resolved, None))
            continue
        if p.precision == "day" and _recurring_near(ctx, p.start, p.end):
            continue  # "trước ngày 30/11 hằng năm": a rule, read by the recurring pass
        resolved = _resolve_partial(ctx, p)
        if resolved:
            candidates.append(resolved)
    candidates.sort(key=lambda c: c[0].start)
    heads = _list_heads(ctx.view, [d for d, _ in candidates])
    for d, year_from in candidates:
        row = _row_at(ctx, d.start)
        if row is not None:
            hit = _table_hit(ctx, row, d, year_from)
        else:
            # a day listed after another ("trước ngày 10/3, 10/6 và 10/9/2024") shares the first one's cue
            cue = _cue_before(ctx, heads.get(d.start, d.start), d.precision)
            if cue is None and d.precision in _CUE_PRECISIONS["label"] and ctx.header.get("kind") == "official" \
                    and _timing_item(ctx, d.start):
                cue = "label", d.start, None  # "III. THỜI GIAN, TIẾN ĐỘ … - Khảo sát tại cơ sở: tháng 8/2026"
            if cue is None:
                continue
            kind, cue_start, what = cue
            if kind == "within" and not _within_is_task(ctx, cue_start, d.period_end, d.end):
                continue
            cue_end = heads.get(d.start, d.start)
            hit = _Hit(d, kind, cue_start, ctx.doc.text[cue_start:cue_end].strip() or None, year_from, what,
                       d.start in heads)
        if hit:
            yield hit


def _table_hit(ctx: Context, row: _Row, d: DateMention, year_from: str | None) -> _Hit | None:
    """A date in a task table's time cell: the period it names is the task's deadline."""
    before = ctx.view[row.time_cell.start:d.start]
    if _NOT_A_DEADLINE.search(before[-_NOT_A_DEADLINE_CHARS:]):
        return None  # "Từ tháng 3/2024 đến tháng 6/2024": the first is the start of the period
    if d.precision == "range" or (d.precision == "year" and row.kind != "completion"):
        return None  # "Năm 2025" under "Thời gian thực hiện" is when the work is done, not a deadline
    if d.precision == "day" and row.kind == "when" and not _CUES[0][1].search(before):
        return None  # "8h00 ngày 15/7" under a bare "Thời gian": an agenda's hour, unless "trước" says due
    if year_from and _RECURRING_NEAR.search(ctx.view[row.time_cell.start:row.time_cell.end]):
        return None
    for kind, pattern in _CUES:
        m = pattern.search(before) if kind in ("deadline", "completion") else None
        if m:  # "Hoàn thành trong tháng 3/2026" in the cell: the cue is part of the evidence
            return _Hit(d, "table", row.time_cell.start + m.start(), before[m.start():].strip(), year_from)
    return _Hit(d, "table", d.start, None, year_from)


def _item_label(ctx: Context, clause_start: int) -> str:
    """The label of the item a clause opens after its colon ("2. Vòng chung kết: tổ chức trong tháng 8"):
    what the item is about, the subject the clause leaves unsaid."""
    text = ctx.doc.text
    if ctx.view[:clause_start].rstrip().endswith(":"):
        colon = ctx.view.rfind(":", 0, clause_start)
        return ctx.view[text.rfind("\n", 0, colon) + 1:colon]
    return ""


# "Kết quả thực hiện … trong quý I", "Tình hình triển khai … trong tháng 6": a report's account of a period.
_REPORTED_PERIOD = vre(r"\s*(?:[-–•*+]\s*|\d+(?:\.\d+)*[.)]\s*)?(?:kết\s+quả|tình\s+hình)(?!\w)", re.I)
# What ends a heading: its colon, or the line ("Kết quả … trong Quý I:" is no "Kết quả … gửi về Sở trong tháng 6").
_HEADING_END = re.compile(r"[ \t]*(?::|\n|$)")
# A plan's part on timing ("III. THỜI GIAN, TIẾN ĐỘ", "4. Tiến độ thực hiện") lists its items as
# "- Task: trong quý II/2026": each item's period is when that task is due.
_TIMING_HEADING = vre(r"\s*\**\s*(?:[IVX]+|\d+(?:\.\d+)*)[.)]\s*\**\s*(?:thời\s+gian|tiến\s+độ|thời\s+hạn)"
                      r"(?:\s*(?:,|và|-)?\s*(?:thời\s+gian|tiến\s+độ|thực\s+hiện|triển\s+khai|hoàn\s+thành))*\s*:?\s*\**\s*$", re.I)
_HEADING_LINE = vre(r"\s*\**\s*(?:[IVX]+|\d+(?:\.\d+)*)[.)]\s", re.I)
_ITEM_COLON = vre(r"\s*(?:[-–•*+]|[a-zđ]\)|\d+(?:\.\d+)*[.)])\s*[^:\n]{3,120}:\s*(?:trong|vào)?\s*$", re.I)
MAX_TIMING_SECTION_LINES = 30


def _timing_item(ctx: Context, cue_start: int) -> bool:
    """Is ``cue_start`` in an item "- Task: trong …" of a plan's timing part ("III. THỜI GIAN, TIẾN ĐỘ")?"""
    text, view = ctx.doc.text, ctx.view
    line_start = text.rfind("\n", 0, cue_start) + 1
    if not _ITEM_COLON.fullmatch(view, line_start, cue_start):
        return False
    end = line_start - 1
    for _ in range(MAX_TIMING_SECTION_LINES):  # up to the heading of the part the item is in
        if end <= 0:
            return False
        start = text.rfind("\n", 0, end) + 1
        if _HEADING_LINE.match(view, start, end):
            return bool(_TIMING_HEADING.fullmatch(view, start, end))
        end = start - 1
    return False


def _within_is_task(ctx: Context, cue_start: int, period_end: str, end: int) -> bool:
    """ "xây dựng kế hoạch trong tháng 01/2026" is a task's deadline; "trong tháng 6, đã tiếp nhận …" and
    "tổ chức Hội nghị toàn quốc vào tháng 12" (an event) are not."""
    clause_start = _clause_start(ctx, cue_start)
    clause = ctx.view[clause_start:cue_start]
    if _PAST.search(clause) or _EVENT.search(clause) or _EVENT.search(_item_label(ctx, clause_start)):
        return False
    if _REPORTED_PERIOD.match(clause) and _HEADING_END.match(ctx.view, end):
        return False  # "Kết quả triển khai … trong Quý I/2017:": a heading over what a report tells of the period
    if not _TASK_VERB.search(clause) and not (ctx.header.get("kind") == "official" and _timing_item(ctx, cue_start)):
        return False
    if ctx.header.get("kind") == "official":
        return True
    # news tells what will happen ("mô hình sẽ được triển khai vào tháng 12"); a deadline only when it
    # reports an instruction ("UBND tỉnh yêu cầu các sở xây dựng kế hoạch trong tháng 01/2026"), or a
    # completion still ahead of the page ("huyện hoàn thành việc sắp xếp … trong quý IV" in a September
    # article relays a plan; the same words after the quarter report what was done)
    page_date = ctx.header.get("date")
    if _COMPLETION.search(clause) and page_date and period_end >= page_date:
        return True
    sentence = ctx.view[max(0, ctx.view.rfind(". ", 0, cue_start), cue_start - 300):cue_start]
    return bool(_INSTRUCTION.search(sentence))


def _confidence(hit: _Hit, row: _Row | None) -> float:
    if hit.kind == "table":
        conf = CONF_YEAR_END if hit.mention.precision == "year" else (
            CONF_DAY_CUE if hit.mention.precision == "day" else CONF_TABLE_PERIOD)
        if row is not None and row.kind in ("execution", "when") and hit.cue is None:
            conf = min(conf, CONF_LABEL_PERIOD)
    elif hit.mention.precision == "year":
        conf = CONF_YEAR_END
    elif hit.kind == "deadline" and hit.mention.precision != "day":
        conf = CONF_PERIOD_CUE
    else:
        conf = _CUE_CONF[hit.kind]
    return conf - (YEAR_FROM_DOCUMENT_PENALTY if hit.year_from else 0.0)


def _resolved_words(d: DateMention, year_from: str | None) -> str | None:
    words = None if d.precision == "day" else f"last day of the {d.precision}"
    if year_from:
        words = f"{words or 'the day written'}, year from {year_from}"
    return words


class Deadlines:
    name = "deadlines"

    def extract(self, ctx: Context) -> Iterator[Span]:
        found = [*self._dated(ctx), *self._relative(ctx), *self._recurring(ctx)]
        found.sort(key=lambda s: (s.start, -s.end))
        kept: list[Span] = []
        for span in found:
            if any(span.start < k.end and (span.value["date"], span.value["rule"]) == (k.value["date"], k.value["rule"])
                   for k in kept[-3:]):
                continue  # one deadline read twice (a table cell that is also prose)
            kept.append(span)
        yield from kept

    def _owner(self, ctx: Context, cue_start: int, last: list, end: int | None = None) -> Owner:
        row = _row_at(ctx, cue_start)
        if row is not None:
            return _row_owner(ctx, row)
        owner = _labelled_item(ctx, cue_start) or _clause_owner(ctx, cue_start, end)
        if owner.responsible is None:
            paragraph_start = ctx.doc.text.rfind("\n", 0, cue_start)
            if last and last[0].responsible and paragraph_start < last[1] < cue_start:
                who = last[0].responsible, last[0].units, last[0].written  # "…; báo cáo kết quả trước ngày …"
            else:
                who = _sentence_owner(ctx, _clause_start(ctx, cue_start))
                if who[0] is None:
                    who = _section_owner(ctx, cue_start)
            owner.responsible, owner.units, owner.written = who
        if owner.responsible:
            last[:] = [owner, cue_start]
        return owner

    def _dated(self, ctx: Context) -> Iterator[Span]:
        not_before = _earliest_possible(ctx)
        last: list = []
        for hit in _hits(ctx):
            d = hit.mention
            row = _row_at(ctx, d.start)
            # a month or quarter that ends on the day an official text is issued is over by then: the
            # period a report tells of ("… trong Quý I/2017" in a report of 31/3/2017), not a task's term
            over = d.precision != "day" and ctx.header.get("kind") == "official" and d.period_end == not_before
            if not_before and (d.period_end < not_before or over) and row is None:
                # "nhà đất … trước ngày 01-7-1991": a cut-off in the past, not a task's deadline; a task
                # table's due column says what each date is, past or not (a report lists the plan's deadlines)
                continue
            owner = self._owner(ctx, hit.cue_start, last, d.end)
            if hit.what:
                owner.task = _words(hit.what, MAX_TASK_CHARS)
            where = "table" if row is not None else ("label" if hit.kind == "label" else "prose")
            cue_kind = hit.kind if hit.kind != "table" else (row.kind if row else None)
            before_period = d.precision != "day" and bool(hit.cue and _BEFORE_PERIOD.search(hit.cue))
            resolution = "before_period" if before_period else d.resolution
            source = f"deadlines.{where}.{cue_kind}.{resolution}" + (".year_inferred" if hit.year_from else "")
            # "tháng 6 và tháng 12/2024": one deadline per month listed, each with its own words
            parts = d.parts or ((d.start, d.end, d.date if d.precision == "day" else d.period_end),)
            if before_period:  # "hoàn thành trước tháng 6/2026": by the day before June begins
                eve = (date.fromisoformat(d.period_start) - timedelta(days=1)).isoformat()
                parts = ((d.start, d.end, eve),)
            for k, (start, end, due) in enumerate(parts):
                value = {
                    "date": due, "task": owner.task, "responsible": owner.responsible,
                    "responsible_units": list(owner.units), "responsible_text": owner.written,
                    "resolution": resolution,
                    "resolved": "the day before the period" if before_period else _resolved_words(d, hit.year_from),
                    "year_from": hit.year_from, "period_start": d.period_start, "period_end": d.period_end,
                    "recurring": None, "rule": None, "cue": hit.cue, "cue_kind": cue_kind, "where": where,
                }
                first = k == 0 and not hit.listed
                yield ctx.span("deadline", hit.cue_start if first else start, end, value, _confidence(hit, row), source)

    def _relative(self, ctx: Context) -> Iterator[Span]:
        # "kể từ ngày ký" counts from the signing of the text that says it: an official document's own
        # date. A news page relays another text's rule; its publication day is no signing day.
        doc_date = ctx.header.get("date") if ctx.header.get("kind") == "official" else None
        last: list = []
        for m in (m for a, b in _windows(ctx.view, _RELATIVE_WORDS, 120, 100) for m in _RELATIVE.finditer(ctx.view, a, b)):
            anchor = m.group("anchor")
            signed = _SIGNED.match(anchor)
            if signed and _ANOTHER_DOCUMENT.match(anchor, signed.end()):
                signed = None
            effective = _EFFECTIVE.match(anchor) and _IN_FORCE_ON_SIGNING.search(ctx.view)
            iso, resolved, conf = None, None, CONF_UNRESOLVED
            n, months, working = int(m.group("n")), m.group("unit").lower() == "tháng", bool(m.group("work"))
            if (signed or effective) and doc_date:
                iso = _after(date.fromisoformat(doc_date), n, months, working).isoformat()
                unit = "months" if months else ("working days" if working else "days")
                resolved = f"{n} {unit} after the document date {doc_date}"
                conf = CONF_RELATIVE
            end = m.start("anchor") + (signed.end() if signed else len(anchor.rstrip()))
            owner = self._owner(ctx, m.start(), last, end)
            value = {"date": iso, "task": owner.task, "responsible": owner.responsible,
                     "responsible_units": list(owner.units), "responsible_text": owner.written,
                     "resolution": "relative", "resolved": resolved, "year_from": None,
                     "relative": {"amount": n, "unit": "month" if months else "working day" if working else "day",
                                  "from": "document date" if iso else anchor.strip()},
                     "recurring": None, "rule": None, "cue": m.group(0).split()[0], "cue_kind": "relative",
                     "where": "prose"}
            yield ctx.span("deadline", m.start(), end, value, conf,
                           f"deadlines.prose.relative.{'resolved' if iso else 'unresolved'}")

    def _recurring(self, ctx: Context) -> Iterator[Span]:
        taken: list[tuple[int, int, str]] = []
        last: list = []
        windows = _windows(ctx.view, _RECURRING_WORDS, 160, 160)
        for pattern in (_RECURRING_AFTER, _RECURRING_BEFORE, _RECURRING_REPORT):
            for m in (m for a, b in windows for m in pattern.finditer(ctx.view, a, b)):
                for start, end, rule in _rules(m):
                    if any(start < e and s < end and r == rule for s, e, r in taken):
                        continue  # "định kỳ hằng năm (trước ngày 15/11 …)" read by both patterns
                    taken.append((start, end, rule))
                    owner = self._owner(ctx, m.start(), last, m.end())
                    value = {"date": None, "task": owner.task, "responsible": owner.responsible,
                             "responsible_units": list(owner.units), "responsible_text": owner.written,
                             "resolution": "recurring", "resolved": None, "year_from": None,
                             "recurring": recurrence.describe(rule), "rule": rule,
                             "cue": m.group(0).split()[0], "cue_kind": "recurring",
                             "where": "table" if _row_at(ctx, m.start()) else "prose"}
                    yield ctx.span("deadline", start, end, value, CONF_RECURRING, "deadlines.prose.recurring")


# Words every recurring or relative deadline holds: the patterns run only around them (found at C speed).
_RECURRING_WORDS = ("hằng", "hàng", "mỗi", "định kỳ", "Hằng", "Hàng", "Mỗi", "Định kỳ", "ĐỊNH KỲ", "HẰNG", "HÀNG")
_RELATIVE_WORDS = ("kể từ", "tính từ", "Kể từ", "Tính từ")


def _windows(view: str, words: tuple[str, ...], before: int, after: int) -> list[tuple[int, int]]:
    """Merged ranges of ``view`` around each occurrence of ``words``."""
    hits = sorted(i for w in words for i in _occurrences(view, w))
    merged: list[tuple[int, int]] = []
    for i in hits:
        a, b = max(0, i - before), min(len(view), i + after)
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged


def _occurrences(text: str, word: str) -> Iterator[int]:
    i = text.find(word)
    while i >= 0:
        yield i
        i = text.find(word, i + 1)


def _rules(m: re.Match[str]) -> list[tuple[int, int, str]]:
    """(start, end, rule) of each day a match states ("trước ngày 01/6 và 15/11 hằng năm": two rules,
    the first read from the cue, the last to the end of the match)."""
    every = m.group("p").lower()
    period = ("quý" if every.startswith("q") else  # the view spells it "qúy"
              "năm" if every.startswith(("6", "sáu", "n")) else "tháng")  # a half-yearly report is due once a year
    found = []
    for item in _LIST_DAY.finditer(m.string, m.start("days"), m.end("days")):
        day, month = int(item.group(1)), int(item.group(2)) if item.group(2) else None
        rule = None
        if not 1 <= day <= 31:
            continue
        if period == "năm" and month and 1 <= month <= 12:
            rule = recurrence.yearly(day, month)
        elif period == "tháng" and not month:
            rule = recurrence.monthly(day)
        elif period == "quý" and not month:
            first = m.group("qm") and (m.group("qm").lower() == "đầu" or m.group("next"))
            rule = recurrence.quarterly(day, recurrence.MONTHS_OF_QUARTER_START if first else
                                        recurrence.MONTHS_OF_QUARTER_END)
        if rule:
            found.append((item.start(), item.end(), rule))
    if not found:
        return []
    found[0] = (m.start(), found[0][1], found[0][2])
    found[-1] = (found[-1][0], m.end(), found[-1][2])
    return found


def _after(start: date, n: int, months: bool, working: bool) -> date:
    if months:
        month = start.month - 1 + n
        year, month = start.year + month // 12, month % 12 + 1
        return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))
    if not working:
        return start + timedelta(days=n)
    day = start
    while n > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            n -= 1
    return day
