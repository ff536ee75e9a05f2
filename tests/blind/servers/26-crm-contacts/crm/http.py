"""Tiny request helper shared by the CRM modules."""
import os

import requests

API_ROOT = os.environ.get("PIPECRM_API", "https://api.pipecrm.example.com") + "/v3"
_VERBS = {"get": requests.get, "post": requests.post, "patch": requests.patch}


def call(verb: str, path: str, **kwargs):
    headers = kwargs.pop("headers", {})
    headers["Authorization"] = "Token " + os.environ.get("PIPECRM_TOKEN", "")
    resp = _VERBS[verb](API_ROOT + path, headers=headers, timeout=10, **kwargs)
    resp.raise_for_status()
    return resp.json() if resp.content else {}
