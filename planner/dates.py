"""Calendar arithmetic for legal deadlines: month ends, ISO weeks, weekends and public holidays.

Months are added the way French law counts them: the same day number, or the month's last day when
that day does not exist (31 January + 1 month = 28 or 29 February).
"""
from __future__ import annotations

import calendar
import datetime as dt

UNITS = ("hours", "days", "weeks", "months", "years")


def parse(text) -> dt.date:
    """An ISO date ``YYYY-MM-DD``; raises ValueError otherwise."""
    if not isinstance(text, str) or len(text) != 10 or not text.isascii():
        raise ValueError(text)
    return dt.date.fromisoformat(text)


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day.day, last))


def shift(day: dt.date, duration: dict, sign: int = 1) -> dt.date:
    """``day`` plus (sign=1) or minus (sign=-1) a duration such as ``{"months": 2}``."""
    (unit, amount), = duration.items()
    amount *= sign
    if unit in ("months", "years"):
        return add_months(day, amount * (12 if unit == "years" else 1))
    if unit == "hours":  # a deadline in hours ends, at the latest, on the day it reaches
        return day + dt.timedelta(days=-(-amount // 24))
    return day + dt.timedelta(days=amount * (7 if unit == "weeks" else 1))


def iso_week(day: dt.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def closed_reason(day: dt.date, holidays: dict):
    """Why ``day`` is not a working day (``"weekend"`` or the holiday's name), or None."""
    if day.weekday() >= 5:
        return "weekend"
    return holidays.get(day.isoformat())


def next_working_day(day: dt.date, holidays: dict) -> dt.date:
    while closed_reason(day, holidays):
        day += dt.timedelta(days=1)
    return day
