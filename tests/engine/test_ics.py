"""planner.ics: RFC 5545 output that the icalendar library parses back exactly."""

from __future__ import annotations

import datetime as dt

import icalendar
import pytest

from planner import ics

NOW = dt.datetime(2026, 3, 1, 9, 30, tzinfo=dt.timezone.utc)


def _parse(text: str) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(text)


def test_basic_all_day_event_with_alarms():
    text = ics.calendar(
        [{"uid": "capture-1@guichet", "date": "2026-03-02", "summary": "Capture d'écran n° 1",
          "description": "Page de la préfecture"}],
        prodid="-//Guichet//Test//FR", now=NOW, name="Guichet")
    assert text.endswith("\r\n")
    assert "\n" not in text.replace("\r\n", "")
    cal = _parse(text)
    assert str(cal["VERSION"]) == "2.0"
    assert str(cal["PRODID"]) == "-//Guichet//Test//FR"
    (ev,) = cal.walk("VEVENT")
    assert str(ev["UID"]) == "capture-1@guichet"
    assert ev.decoded("DTSTART") == dt.date(2026, 3, 2)
    assert ev.decoded("DTEND") == dt.date(2026, 3, 3)
    assert ev.decoded("DTSTAMP") == NOW
    assert str(ev["SUMMARY"]) == "Capture d'écran n° 1"
    alarms = ev.walk("VALARM")
    assert [a.decoded("TRIGGER") for a in alarms] == [dt.timedelta(hours=-15), dt.timedelta(hours=9)]
    assert all(str(a["ACTION"]) == "DISPLAY" for a in alarms)


def test_escaping_round_trips():
    nasty = 'a;b,c\\d\nline 2\r\nline 3 <script>alert("x")</script>'
    text = ics.calendar([{"uid": "x", "date": "2026-01-31", "summary": nasty, "description": nasty,
                          "location": "Préfecture; Bobigny, 93"}], now=NOW)
    assert "SUMMARY:a\\;b\\,c\\\\d\\nline 2\\nline 3" in text.replace("\r\n ", "")
    (ev,) = _parse(text).walk("VEVENT")
    expected = nasty.replace("\r\n", "\n")
    assert str(ev["SUMMARY"]) == expected
    assert str(ev["DESCRIPTION"]) == expected
    assert str(ev["LOCATION"]) == "Préfecture; Bobigny, 93"


def test_control_characters_are_dropped():
    assert ics.escape_text("a\x00b\x1bc\td") == "abc d"


@pytest.mark.parametrize("text", [
    "x" * 300,
    "é" * 200,                       # 2-octet characters
    "日本語" * 80,                    # 3-octet characters
    "🙂" * 90,                        # 4-octet characters
    ("Préfecture de Seine-Saint-Denis, " * 12),
])
def test_folding_never_exceeds_75_octets_and_round_trips(text):
    out = ics.calendar([{"uid": "f", "date": "2026-05-01", "summary": text, "description": text}],
                       now=NOW)
    for physical in out.split("\r\n"):
        assert len(physical.encode("utf-8")) <= 75, physical
        physical.encode("utf-8").decode("utf-8")  # no split character
    (ev,) = _parse(out).walk("VEVENT")
    assert str(ev["SUMMARY"]) == text
    assert str(ev["DESCRIPTION"]) == text


def test_fold_exact_boundaries():
    line = "A" * 75
    assert ics.fold(line) == line
    folded = ics.fold("A" * 76)
    assert folded == "A" * 75 + "\r\n " + "A"
    folded = ics.fold("A" * 74 + "é")  # 76 octets: é must move whole
    assert folded == "A" * 74 + "\r\n é"


def test_ranges_and_timed_events():
    text = ics.calendar([
        {"uid": "window", "start": "2026-04-01", "end": "2026-05-31", "summary": "Fenêtre de dépôt"},
        {"uid": "rdv", "start": "2026-04-10T09:15", "end": "2026-04-10T10:00", "summary": "RDV",
         "alarms": []},
    ], now=NOW)
    evs = _parse(text).walk("VEVENT")
    assert evs[0].decoded("DTSTART") == dt.date(2026, 4, 1)
    assert evs[0].decoded("DTEND") == dt.date(2026, 6, 1)
    assert evs[1].decoded("DTSTART") == dt.datetime(2026, 4, 10, 9, 15)
    assert evs[1].walk("VALARM") == []


def test_many_events_unique_uids_and_dtstamp():
    events = [{"uid": f"e{i}@guichet", "date": f"2026-06-{i:02d}", "summary": f"Jour {i}"}
              for i in range(1, 31)]
    cal = _parse(ics.calendar(events, now=NOW))
    evs = cal.walk("VEVENT")
    assert len(evs) == 30
    assert len({str(e["UID"]) for e in evs}) == 30
    assert all(e.decoded("DTSTAMP") == NOW for e in evs)


def test_naive_now_is_treated_as_utc():
    text = ics.calendar([{"uid": "a", "date": "2026-01-01", "summary": "s"}],
                        now=dt.datetime(2026, 1, 1, 12, 0, 0))
    assert "DTSTAMP:20260101T120000Z" in text


@pytest.mark.parametrize("event, field", [
    ({"date": "2026-01-01", "summary": "s"}, "uid"),
    ({"uid": "a", "summary": "s"}, "date"),
    ({"uid": "a", "date": "2026-02-30", "summary": "s"}, "date"),
    ({"uid": "a", "date": "01/02/2026", "summary": "s"}, "date"),
    ({"uid": "a", "date": "2026-01-01"}, "summary"),
    ({"uid": "a", "start": "2026-01-05", "end": "2026-01-01", "summary": "s"}, "end"),
    ({"uid": "a", "date": "2026-01-01", "summary": "s", "alarms": ["tomorrow"]}, "alarms"),
])
def test_bad_events_raise_ics_error(event, field):
    with pytest.raises(ics.ICSError, match=field):
        ics.calendar([event], now=NOW)


def test_duplicate_uid_refused():
    with pytest.raises(ics.ICSError, match="duplicate"):
        ics.calendar([{"uid": "a", "date": "2026-01-01", "summary": "s"}] * 2, now=NOW)


def test_calendar_json_matches_calendar():
    import json
    events = [{"uid": "a", "date": "2026-01-01", "summary": "s"}]
    assert ics.calendar_json(json.dumps(events), "2026-03-01T09:30:00Z") == ics.calendar(events, now=NOW)


# ------------------------------------------------------------------ no value breaks a line (issue 14)
BREAKS = {"LF": "\n", "CR": "\r", "CRLF": "\r\n", "NEL": "\x85", "LINE SEPARATOR": "\u2028",
          "PARAGRAPH SEPARATOR": "\u2029"}


def _physical_lines_are_clean(text: str) -> None:
    assert text.endswith("\r\n")
    for line in text[:-2].split("\r\n"):
        assert not set(line) & set("\r\n\x85\u2028\u2029"), repr(line)


@pytest.mark.parametrize("brk", BREAKS.values(), ids=BREAKS.keys())
def test_every_line_break_in_text_is_escaped(brk):
    value = f"avant{brk}BEGIN:VALARM{brk}après{brk}"
    text = ics.calendar([{"uid": "b", "date": "2026-01-31", "summary": value, "description": value,
                          "location": value, "categories": [value]}], now=NOW, name=value, prodid=value)
    _physical_lines_are_clean(text)
    unfolded = text.replace("\r\n ", "")
    assert "SUMMARY:avant\\nBEGIN:VALARM\\naprès\\n\r\n" in unfolded
    assert unfolded.split("\r\n").count("BEGIN:VALARM") == 2  # the two default alarms, none injected
    (ev,) = _parse(text).walk("VEVENT")
    assert len(ev.walk("VALARM")) == 2
    assert str(ev["SUMMARY"]) == "avant\nBEGIN:VALARM\naprès\n"


def test_c1_controls_are_dropped():
    assert ics.escape_text("a\x80b\x9fc\x7fd") == "abcd"


@pytest.mark.parametrize("event", [
    {"uid": "u", "date": "2026-01-01\n", "summary": "s"},
    {"uid": "u", "start": "2026-01-01T10:00\n", "summary": "s"},
    {"uid": "u", "start": "2026-01-01\n", "end": "2026-01-02", "summary": "s"},
    {"uid": "u", "date": "2026-01-01", "summary": "s", "alarms": ["-PT1H\n"]},
    {"uid": "u", "date": "2026-01-01", "summary": "s", "alarms": ["-PT1H\nATTACH:http://x"]},
    {"uid": "u", "date": "٢٠٢٦-٠١-٠١", "summary": "s"},  # digits of another script
], ids=["date+LF", "datetime+LF", "start+LF", "alarm+LF", "alarm+line", "arabic-indic digits"])
def test_a_final_new_line_or_foreign_digits_are_refused(event):
    with pytest.raises(ics.ICSError):
        ics.calendar([event], now=NOW)


@pytest.mark.parametrize("url", ["https://example.org/a\n", "https://example.org/a\r\nATTACH:x",
                                 "https://example.org/\u2028x", "https://example.org/\x85x", "javascript:alert(1)"])
def test_a_url_that_could_break_a_line_is_left_out(url):
    text = ics.calendar([{"uid": "u", "date": "2026-01-01", "summary": "s", "url": url}], now=NOW)
    _physical_lines_are_clean(text)
    assert "URL:" not in text and "ATTACH" not in text


def test_a_clean_url_is_kept():
    text = ics.calendar([{"uid": "u", "date": "2026-01-01", "summary": "s", "url": "https://example.org/a?b=1"}], now=NOW)
    assert "URL:https://example.org/a?b=1\r\n" in text


@pytest.mark.parametrize("time", ["10:00:99", "10:00:00", "24:00", "23:60", "9:00", "09:5", "٠٩:٠٠", "09:00Z"])
def test_times_are_hh_mm_only(time):
    with pytest.raises(ics.ICSError, match="start"):
        ics.calendar([{"uid": "t", "start": f"2026-01-01T{time}", "summary": "s"}], now=NOW)


@pytest.mark.parametrize("time", ["00:00", "09:05", "23:59"])
def test_every_hh_mm_of_the_day_is_accepted(time):
    text = ics.calendar([{"uid": "t", "start": f"2026-01-01T{time}", "summary": "s"}], now=NOW)
    assert f"DTSTART:20260101T{time.replace(':', '')}00\r\n" in text


def test_a_later_file_updates_the_same_events():
    """One UID per event whatever its date, and a SEQUENCE that grows with the time the file is made: a
    calendar importing a newer file replaces the reminders it gave before (RFC 5545 3.8.7.4)."""
    before = _parse(ics.calendar([{"uid": "renouvellement-courriel-1@guichet", "date": "2026-03-02", "summary": "Courriel"}],
                                 now=NOW))
    after = _parse(ics.calendar([{"uid": "renouvellement-courriel-1@guichet", "date": "2026-03-09", "summary": "Courriel"}],
                                now=NOW + dt.timedelta(seconds=1)))
    (a,), (b,) = before.walk("VEVENT"), after.walk("VEVENT")
    assert str(a["UID"]) == str(b["UID"])
    assert 0 < int(a["SEQUENCE"]) < int(b["SEQUENCE"])
    naive = ics.calendar([{"uid": "x@guichet", "date": "2026-03-02", "summary": "x"}], now=NOW.replace(tzinfo=None))
    assert int(_parse(naive).walk("VEVENT")[0]["SEQUENCE"]) == int(a["SEQUENCE"])  # a naive `now` is UTC
