from __future__ import annotations

import datetime as dt
from typing import Any

import aiohttp
from icalendar import Calendar

from .settings import settings


class AgendaAPI:
    def __init__(self) -> None:
        self._session: aiohttp.ClientSession | None = None

    async def session(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                base_url=str(settings.api_url).rstrip("/") + "/",
                headers={"Authorization": f"Token {settings.api_token}"},
                timeout=aiohttp.ClientTimeout(total=settings.request_timeout),
            )
        return self._session

    async def list_events(self, start: dt.date, end: dt.date, calendar: str | None = None) -> list[dict[str, Any]]:
        s = await self.session()
        params = {"from": start.isoformat(), "to": end.isoformat(), "tz": settings.timezone}
        async with s.get(f"calendars/{calendar or settings.default_calendar}/events", params=params) as r:
            r.raise_for_status()
            return (await r.json())["events"]

    async def create_event(self, title: str, start: dt.datetime, end: dt.datetime, calendar: str | None = None,
                           attendees: list[str] | None = None) -> dict[str, Any]:
        s = await self.session()
        payload = {
            "title": title,
            "start": start.isoformat(),
            "end": end.isoformat(),
            "attendees": attendees or [],
        }
        async with s.post(f"calendars/{calendar or settings.default_calendar}/events", json=payload) as r:
            r.raise_for_status()
            return await r.json()

    async def free_busy(self, day: dt.date) -> list[tuple[str, str]]:
        s = await self.session()
        async with s.get("freebusy", params={"date": day.isoformat(), "tz": settings.timezone}) as r:
            r.raise_for_status()
            data = await r.json()
            return [(b["start"], b["end"]) for b in data["busy"]]

    async def close(self) -> None:
        if self._session:
            await self._session.close()


async def public_holidays(country: str, year: int) -> list[dict[str, str]]:
    url = f"{settings.holidays_url}/{year}/{country.upper()}"
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as s:
        async with s.get(url) as r:
            r.raise_for_status()
            return await r.json()


async def read_ics_feed(url: str) -> list[dict[str, str]]:
    """Download an iCalendar (.ics) subscription feed and summarise its events."""
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=20)) as s:
        async with s.get(url, headers={"Accept": "text/calendar"}) as r:
            r.raise_for_status()
            raw = await r.read()
    cal = Calendar.from_ical(raw)
    out = []
    for comp in cal.walk("VEVENT"):
        out.append({
            "summary": str(comp.get("SUMMARY", "")),
            "start": comp.decoded("DTSTART").isoformat() if comp.get("DTSTART") else "",
            "location": str(comp.get("LOCATION", "")),
        })
    return out
