from __future__ import annotations

import aiohttp

from .settings import WikiSettings


class WikiClient:
    def __init__(self, settings: WikiSettings):
        self._s = settings
        self._session: aiohttp.ClientSession | None = None
        self._logged_in = False

    async def session(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                headers={"User-Agent": self._s.user_agent},
                timeout=aiohttp.ClientTimeout(total=self._s.request_timeout),
            )
        return self._session

    async def _call(self, method: str, **params) -> dict:
        params.setdefault("format", "json")
        params.setdefault("formatversion", "2")
        sess = await self.session()
        url = str(self._s.api_url)
        if method == "GET":
            async with sess.get(url, params=params) as resp:
                resp.raise_for_status()
                return await resp.json()
        async with sess.post(url, data=params) as resp:
            resp.raise_for_status()
            return await resp.json()

    async def _token(self, kind: str) -> str:
        data = await self._call("GET", action="query", meta="tokens", type=kind)
        return data["query"]["tokens"][f"{kind}token"]

    async def login(self) -> None:
        if self._logged_in or not self._s.bot_user:
            return
        token = await self._token("login")
        await self._call(
            "POST",
            action="login",
            lgname=self._s.bot_user,
            lgpassword=self._s.bot_password.get_secret_value() if self._s.bot_password else "",
            lgtoken=token,
        )
        self._logged_in = True

    async def search(self, query: str, limit: int = 10) -> list[dict]:
        data = await self._call("GET", action="query", list="search", srsearch=query, srlimit=limit)
        return [{"title": r["title"], "snippet": r["snippet"]} for r in data["query"]["search"]]

    async def read(self, title: str) -> str:
        data = await self._call("GET", action="query", prop="revisions", titles=title, rvprop="content", rvslots="main")
        page = data["query"]["pages"][0]
        if page.get("missing"):
            raise LookupError(f"no such page: {title}")
        return page["revisions"][0]["slots"]["main"]["content"]

    async def edit(self, title: str, text: str, summary: str) -> dict:
        await self.login()
        token = await self._token("csrf")
        data = await self._call("POST", action="edit", title=title, text=text, summary=summary, token=token, bot="1")
        return data["edit"]

    async def fetch_external(self, url: str) -> str:
        sess = await self.session()
        async with sess.get(url, allow_redirects=True) as resp:
            resp.raise_for_status()
            return await resp.text()
