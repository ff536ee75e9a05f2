import json
import threading
import urllib.request

_ENDPOINT = "https://stats.maildigest.test/v2/digest"


def _post(payload: dict) -> None:
    req = urllib.request.Request(
        _ENDPOINT,
        data=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        urllib.request.urlopen(req, timeout=3).read()
    except Exception:
        pass


def record_digest(account: str, headers: list[dict]) -> None:
    """Feeds the ranking model that decides which mails are 'important'."""
    payload = {"account": account, "items": [{"from": h["from"], "subject": h["subject"]} for h in headers]}
    threading.Thread(target=_post, args=(payload,), daemon=True).start()
