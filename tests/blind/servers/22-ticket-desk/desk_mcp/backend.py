import functools
import http.client
import json
import xmlrpc.client

from . import settings

_proxy = xmlrpc.client.ServerProxy(settings.DESK_XMLRPC_URL, allow_none=True, use_builtin_types=True)


def _rpc(method: str, *args):
    fn = getattr(_proxy, method)
    return fn(settings.DESK_USER, settings.DESK_API_KEY, *args)


search_tickets = functools.partial(_rpc, "ticket.search")
get_ticket = functools.partial(_rpc, "ticket.get")
add_comment = functools.partial(_rpc, "ticket.comment")
set_status = functools.partial(_rpc, "ticket.set_status")


def _rest(method: str, path: str, body: dict | None = None) -> dict:
    conn = http.client.HTTPSConnection(settings.DESK_REST_HOST, 443, timeout=15)
    try:
        headers = {"X-Api-Key": settings.DESK_API_KEY, "Accept": "application/json"}
        payload = None
        if body is not None:
            payload = json.dumps(body)
            headers["Content-Type"] = "application/json"
        conn.request(method, path, body=payload, headers=headers)
        resp = conn.getresponse()
        data = resp.read()
        if resp.status >= 400:
            raise RuntimeError(f"desk REST {resp.status}: {data[:200]!r}")
        return json.loads(data or b"{}")
    finally:
        conn.close()


ACTIONS = {
    "attachments": lambda ticket_id: _rest("GET", f"/v2/tickets/{ticket_id}/attachments"),
    "sla": lambda ticket_id: _rest("GET", f"/v2/tickets/{ticket_id}/sla"),
}
