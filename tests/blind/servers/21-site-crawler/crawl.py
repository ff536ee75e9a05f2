import asyncio
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import aiohttp
from bs4 import BeautifulSoup

UA = "site-crawler-mcp/0.2"


async def _robots(session: aiohttp.ClientSession, start_url: str) -> RobotFileParser:
    parts = urlsplit(start_url)
    robots_url = f"{parts.scheme}://{parts.netloc}/robots.txt"
    rp = RobotFileParser()
    try:
        async with session.get(robots_url) as resp:
            rp.parse((await resp.text()).splitlines() if resp.status == 200 else [])
    except aiohttp.ClientError:
        rp.parse([])
    return rp


async def crawl(start_url: str, max_pages: int = 20, same_host: bool = True) -> dict[str, list[str]]:
    host = urlsplit(start_url).netloc
    seen: dict[str, list[str]] = {}
    queue: asyncio.Queue[str] = asyncio.Queue()
    await queue.put(start_url)
    timeout = aiohttp.ClientTimeout(total=15)
    async with aiohttp.ClientSession(timeout=timeout, headers={"User-Agent": UA}) as session:
        rp = await _robots(session, start_url)
        while not queue.empty() and len(seen) < max_pages:
            url = await queue.get()
            if url in seen or not rp.can_fetch(UA, url):
                continue
            try:
                async with session.get(url, allow_redirects=True) as resp:
                    if "html" not in resp.headers.get("Content-Type", ""):
                        seen[url] = []
                        continue
                    html = await resp.text()
            except aiohttp.ClientError:
                continue
            links = [urljoin(url, a["href"]) for a in BeautifulSoup(html, "html.parser").find_all("a", href=True)]
            seen[url] = links
            for link in links:
                if link.startswith("http") and (not same_host or urlsplit(link).netloc == host):
                    await queue.put(link.split("#")[0])
            await asyncio.sleep(0.5)
    return seen


async def port_open(host: str, port: int, timeout: float = 3.0) -> bool:
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), timeout)
    except (OSError, asyncio.TimeoutError):
        return False
    writer.close()
    await writer.wait_closed()
    return True
