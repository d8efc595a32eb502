"""A small RFC 5545 (iCalendar) writer: standard library only, no I/O.

Used by the in-browser planner (inside Pyodide) to turn the dated action plan into
reminders that phone calendars import. All-day events by default, each with VALARM
reminders; CRLF line endings, TEXT escaping and line folding at 75 octets. No value can
break a line: TEXT escapes every line break (CR, LF, U+0085, U+2028, U+2029), every other
value must match its pattern in full, and `calendar` refuses a content line that still holds one.

    calendar(events, prodid="-//Guichet//Planner//FR", now=datetime.now(timezone.utc))

An event is a dict:
    uid          required, unique and stable (re-importing updates instead of duplicating: every event
                 gets SEQUENCE, the seconds from 2020 to `now`, so a file made later wins over an
                 earlier one in the calendars that update an event by its UID)
    date         "YYYY-MM-DD": an all-day event (DTEND is the next day, exclusive)
    start, end   instead of date: "YYYY-MM-DD" (all-day, end inclusive) or
                 "YYYY-MM-DDTHH:MM", 00:00 to 23:59 (floating local time: Pyodide has no tz data)
    summary      title (required)
    description  optional long text (new lines allowed)
    location, url, categories (list of str)  optional
    alarms       optional list of RFC 5545 durations relative to the start
                 (default: the day before at 09:00 and the day itself at 09:00 for
                 all-day events, one hour before for timed events); [] for none.
"""

from __future__ import annotations

import datetime as _dt
import re

__all__ = ["calendar", "escape_text", "fold", "DEFAULT_ALARMS_ALL_DAY", "DEFAULT_ALARMS_TIMED"]

CRLF = "\r\n"
DEFAULT_ALARMS_ALL_DAY = ("-PT15H", "PT9H")  # 09:00 the day before, 09:00 on the day
DEFAULT_ALARMS_TIMED = ("-PT1H",)
SEQUENCE_EPOCH = _dt.datetime(2020, 1, 1, tzinfo=_dt.timezone.utc)  # SEQUENCE fits 32 bits until 2088
# Matched with fullmatch and ASCII digits: "$" would let a final "\n" through, "\d" other scripts' digits.
_DURATION = re.compile(r"[+-]?P(?:[0-9]+W|(?:[0-9]+D)?(?:T(?:[0-9]+H)?(?:[0-9]+M)?(?:[0-9]+S)?)?)")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DATETIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ](?:[01][0-9]|2[0-3]):[0-5][0-9]")
_URL = re.compile(r"https?://[^\s\"<>\\\x00-\x1f\x7f-\x9f]+")
_LINE_BREAK = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")


class ICSError(ValueError):
    """An event cannot be written (missing field, bad date or duration)."""


def escape_text(value: object) -> str:
    """Escape a TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma, and every line break
    (CR LF, CR, LF, NEL, LINE SEPARATOR, PARAGRAPH SEPARATOR) as an escaped new line."""
    s = str(value)
    s = s.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    s = _LINE_BREAK.sub(r"\\n", s)
    # Other control characters (C0, DEL, C1) are not allowed in TEXT: drop them (tabs become spaces).
    return "".join(" " if c == "\t" else c for c in s if c == "\t" or not _is_control(c))


def _is_control(c: str) -> bool:
    return ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F



def fold(line: str, limit: int = 75) -> str:
    """Fold a content line to at most `limit` octets per physical line (RFC 5545 3.1).

    Continuation lines start with one space, which counts in their length. Never splits
    a UTF-8 multi-byte character.
    """
    out: list[str] = []
    current: list[str] = []
    size = 0
    budget = limit
    for ch in line:
        n = len(ch.encode("utf-8"))
        if size + n > budget:
            out.append("".join(current))
            current, size, budget = [], 0, limit - 1
        current.append(ch)
        size += n
    out.append("".join(current))
    return (CRLF + " ").join(out)


def _parse_date(value: str, field: str) -> _dt.date:
    if not isinstance(value, str) or not _DATE.fullmatch(value):
        raise ICSError(f"{field}: expected YYYY-MM-DD, got {value!r}")
    try:
        return _dt.date.fromisoformat(value)
    except ValueError as e:
        raise ICSError(f"{field}: {e}") from None


def _parse_datetime(value: str, field: str) -> _dt.datetime:
    if not isinstance(value, str) or not _DATETIME.fullmatch(value):
        raise ICSError(f"{field}: expected YYYY-MM-DDTHH:MM, got {value!r}")
    try:
        return _dt.datetime.fromisoformat(value.replace(" ", "T"))
    except ValueError as e:
        raise ICSError(f"{field}: {e}") from None


def _fmt_date(d: _dt.date) -> str:
    return f"{d.year:04d}{d.month:02d}{d.day:02d}"


def _fmt_datetime(d: _dt.datetime) -> str:
    return _fmt_date(d) + f"T{d.hour:02d}{d.minute:02d}{d.second:02d}"


def _utc(now: _dt.datetime) -> _dt.datetime:
    """`now` in UTC, aware (a naive one is taken as UTC)."""
    return now.astimezone(_dt.timezone.utc) if now.tzinfo is not None else now.replace(tzinfo=_dt.timezone.utc)


def _utc_stamp(now: _dt.datetime) -> str:
    return _fmt_datetime(_utc(now).replace(tzinfo=None)) + "Z"


def _sequence(now: _dt.datetime) -> int:
    """The revision of every event of a file made at `now`: later files have higher ones (RFC 5545 3.8.7.4)."""
    return max(0, int((_utc(now) - SEQUENCE_EPOCH).total_seconds()))


def _clean_uid(uid: object) -> str:
    s = str(uid).strip()
    if not s:
        raise ICSError("uid: empty")
    # UID is TEXT: keep it simple and safe to round-trip.
    return re.sub(r"[^A-Za-z0-9@._+\-]", "-", s)


def _event_lines(ev: dict, stamp: str, sequence: int) -> list[str]:
    if not isinstance(ev, dict):
        raise ICSError("event: expected an object")
    if "uid" not in ev:
        raise ICSError("uid: missing")
    summary = ev.get("summary")
    if summary is None or str(summary).strip() == "":
        raise ICSError("summary: missing")
    lines = ["BEGIN:VEVENT", "UID:" + _clean_uid(ev["uid"]), "DTSTAMP:" + stamp, f"SEQUENCE:{sequence}"]
    all_day = True
    if ev.get("date") is not None:
        d = _parse_date(ev["date"], "date")
        lines.append("DTSTART;VALUE=DATE:" + _fmt_date(d))
        lines.append("DTEND;VALUE=DATE:" + _fmt_date(d + _dt.timedelta(days=1)))
    elif ev.get("start") is not None:
        start = ev["start"]
        end = ev.get("end")
        if isinstance(start, str) and _DATE.fullmatch(start):
            s = _parse_date(start, "start")
            e = _parse_date(end, "end") if end is not None else s
            if e < s:
                raise ICSError("end: before start")
            lines.append("DTSTART;VALUE=DATE:" + _fmt_date(s))
            lines.append("DTEND;VALUE=DATE:" + _fmt_date(e + _dt.timedelta(days=1)))
        else:
            all_day = False
            s = _parse_datetime(start, "start")
            e = _parse_datetime(end, "end") if end is not None else s + _dt.timedelta(hours=1)
            if e < s:
                raise ICSError("end: before start")
            lines.append("DTSTART:" + _fmt_datetime(s))
            lines.append("DTEND:" + _fmt_datetime(e))
    else:
        raise ICSError("date: missing (give date, or start and end)")
    lines.append("SUMMARY:" + escape_text(summary))
    if ev.get("description"):
        lines.append("DESCRIPTION:" + escape_text(ev["description"]))
    if ev.get("location"):
        lines.append("LOCATION:" + escape_text(ev["location"]))
    if ev.get("url"):
        url = str(ev["url"])
        if _URL.fullmatch(url):
            lines.append("URL:" + url)
    cats = ev.get("categories")
    if cats:
        lines.append("CATEGORIES:" + ",".join(escape_text(c) for c in cats))
    lines.append("TRANSP:TRANSPARENT")
    alarms = ev.get("alarms")
    if alarms is None:
        alarms = DEFAULT_ALARMS_ALL_DAY if all_day else DEFAULT_ALARMS_TIMED
    for trig in alarms:
        trig = str(trig)
        if not _DURATION.fullmatch(trig) or trig.lstrip("+-") in ("P", "PT"):
            raise ICSError(f"alarms: not an RFC 5545 duration: {trig!r}")
        lines += [
            "BEGIN:VALARM",
            "ACTION:DISPLAY",
            "DESCRIPTION:" + escape_text(summary),
            "TRIGGER:" + trig,
            "END:VALARM",
        ]
    lines.append("END:VEVENT")
    return lines


def calendar(
    events: list[dict],
    *,
    prodid: str = "-//Guichet//Planner//FR",
    now: _dt.datetime | None = None,
    name: str | None = None,
) -> str:
    """Return an iCalendar (VCALENDAR) document as text with CRLF line endings.

    `now` is the DTSTAMP (pass it explicitly for reproducible output; default: now, UTC).
    Raises ICSError on an event that cannot be written.
    """
    if now is None:
        now = _dt.datetime.now(_dt.timezone.utc)
    stamp, sequence = _utc_stamp(now), _sequence(now)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:" + escape_text(prodid),
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ]
    if name:
        lines.append("X-WR-CALNAME:" + escape_text(name))
    seen: set[str] = set()
    for ev in events:
        ev_lines = _event_lines(ev, stamp, sequence)
        uid = ev_lines[1]
        if uid in seen:
            raise ICSError(f"uid: duplicate {uid[4:]!r}")
        seen.add(uid)
        lines += ev_lines
    lines.append("END:VCALENDAR")
    for line in lines:  # what escaping and the patterns guarantee, checked once more
        if _LINE_BREAK.search(line) or any(_is_control(c) for c in line):
            raise ICSError(f"line break or control character in {line.split(':', 1)[0]}")
    return "".join(fold(line) + CRLF for line in lines)


def calendar_json(events_json: str, now_iso: str | None = None, prodid: str = "-//Guichet//Planner//FR",
                  name: str | None = None) -> str:
    """JSON in, text out: what the Web Worker calls. `now_iso` like 2026-03-01T10:00:00Z."""
    import json

    events = json.loads(events_json)
    now = None
    if now_iso:
        now = _dt.datetime.fromisoformat(now_iso.replace("Z", "+00:00"))
    return calendar(events, prodid=prodid, now=now, name=name)
