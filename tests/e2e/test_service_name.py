#!/usr/bin/env python3
"""End to end: a client library's default host is documented by the service's name.

Tiny servers, each alone in a folder, construct a catalogued client with no host option
(`new OpenAI()`, `stripe.StripeClient()`), which reaches the library's default host
(api.openai.com, api.stripe.com: kind sdk-default). A README that names the service as a
word ("uses the OpenAI API") documents that host (documented_by.match "service-name"); a
README that does not name it, a host written out as a literal, or a name inside a longer
word ("OpenAIish") does not.

Failed before the fix (the build of main at d583890): the named servers reported
api.openai.com / api.stripe.com as undocumented-egress (checked by running this file
against that binary: the two "documented" checks failed, the others held).

Usage: test_service_name.py --mcpaudit BIN --source SRCDIR --work DIR
"""

import json
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import testkit  # noqa: E402

JS_CLIENT = 'import OpenAI from "openai";\nconst client = new OpenAI();\n' \
            'export async function ask(q) {\n  return client.chat.completions.create({model: "m", ' \
            'messages: [{role: "user", content: q}]});\n}\n'
JS_LITERAL = 'export async function ask(q) {\n  return fetch("https://api.openai.com/v1/chat", ' \
             '{method: "POST", body: q});\n}\n'
PY_CLIENT = 'import stripe\n\nclient = stripe.StripeClient("sk_test")\n\n' \
            'def charge(amount):\n    return client.charges.create(params={"amount": amount})\n'

JS_GAUTH = 'import { GoogleAuth } from "google-auth-library";\nconst auth = new GoogleAuth({scopes: []});\n' \
           'export async function token() {\n  return auth.getAccessToken();\n}\n'

CASES = [
    # name, code file, code, README, host, documented by name
    ("js-named", "index.js", JS_CLIENT, "# Ask\n\nAnswers with the OpenAI API.\n", "api.openai.com", True),
    ("js-unnamed", "index.js", JS_CLIENT, "# Ask\n\nAnswers questions.\n", "api.openai.com", False),
    ("js-inside-word", "index.js", JS_CLIENT, "# Ask\n\nAn OpenAIish helper.\n", "api.openai.com", False),
    ("js-literal", "index.js", JS_LITERAL, "# Ask\n\nAnswers with the OpenAI API.\n", "api.openai.com", False),
    ("py-named", "server.py", PY_CLIENT, "# Pay\n\nStripe billing for your tools.\n", "api.stripe.com", True),
    ("py-unnamed", "server.py", PY_CLIENT, "# Pay\n\nBilling for your tools.\n", "api.stripe.com", False),
    # oauth2.googleapis.com: "auth" and "OAuth2" are protocol words, not Google's name, and
    # the host's own first label names an API; the word of the vendor's domain
    # ("googleapis", googleapis.com being a private-section public suffix) names it.
    # Both failed before (the first documented "as 'auth'", the second undocumented: the
    # derived names were auth, library, oauth2; checked by running this file with the
    # build of d99d181).
    ("js-protocol-words", "index.js", JS_GAUTH,
     "# Files\n\nSigns in with OAuth2: run `npm run auth` first.\n", "oauth2.googleapis.com", False),
    ("js-domain-word", "index.js", JS_GAUTH,
     "# Files\n\nCalls https://www.googleapis.com/drive/v3 for you.\n", "oauth2.googleapis.com", True),
]


def scan(mcpaudit, folder):
    out = subprocess.run([mcpaudit, "scan", "--format", "json", folder], capture_output=True, text=True,
                         timeout=120)
    return json.loads(out.stdout)


def main():
    args = testkit.parse(testkit.arg_parser())
    t = testkit.Tally()
    for name, file, code, readme, host, named in CASES:
        folder = os.path.join(args.work, "service-name", name)
        shutil.rmtree(folder, ignore_errors=True)
        os.makedirs(folder)
        with open(os.path.join(folder, file), "w") as f:
            f.write(code)
        with open(os.path.join(folder, "README.md"), "w") as f:
            f.write(readme)
        r = scan(args.mcpaudit, folder)
        eps = [e for e in r["endpoints"] if e.get("host") == host]
        flagged = [f for f in r["findings"] if f["rule_id"] == "undocumented-egress" and f.get("host") == host]
        if not t.check(bool(eps), f"{name}: {host} found ({[e['kind'] for e in eps]})"):
            continue
        by = [e["documented_by"]["match"] for e in eps if e["documented_by"]]
        if named:
            t.check(by == ["service-name"] and not flagged,
                    f"{name}: {host} documented by the service's name (documented_by {by}, "
                    f"{len(flagged)} undocumented-egress)")
        else:
            t.check("service-name" not in by and len(flagged) >= 1,
                    f"{name}: {host} stays undocumented-egress (documented_by {by}, {len(flagged)} findings)")
    return t.finish()


if __name__ == "__main__":
    sys.exit(main())
