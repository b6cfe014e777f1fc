"""Every hostile value in every query and path parameter of every documented admin operation.

Schemathesis samples: with a few examples per operation it may never put i64::MAX into the
one parameter that overflows (issue #24, finding 1: `GET /api/vouchers?page=9223372036854775807`
panicked) or a NUL into the one that reaches PostgreSQL as text (finding 2). This sweep is
exhaustive instead: it reads the OpenAPI document and, for each operation and each of its
query and path parameters, sends each value below in that parameter alone (as the owner; the
reseller's own routes, which the owner may not use, as a reseller made for the sweep) (other path
parameters get a harmless value that names nothing); the event stream, which stays open,
is left to its own tests. Every answer must come (no dropped
connection), be below 500, and be the JSON error shape when it is a 4xx.

Usage: admin_sweep.py http://127.0.0.1:PORT TOKEN [excluded path regex]
"""

import json
import re
import sys
import urllib.parse
import urllib.request

from public_listener import check

# Raw (already URL-encoded) values: NUL and other control characters, bytes that are not
# UTF-8, text over every length limit, and numbers at the ends of and just past i64 (and i32).
HOSTILE = [
    "%00",
    "a%00b",
    "%01%1B%7F",
    "%FF%FE",
    "9223372036854775807",
    "-9223372036854775808",
    "9223372036854775808",
    "-9223372036854775809",
    "2147483648",
    "-1",
    "0",
    "1" + "0" * 30,
    "x" * 5000,
    "%C3%A9" * 2100,
]

# A value for the path parameters not under test: valid for its type, naming nothing.
HARMLESS = {
    "uuid": "00000000-0000-4000-8000-00000000fade",
    "integer": "987654321",
    "string": "tidak-ada",
}


def parameters(doc, path_item, op):
    """The operation's parameters (path-level ones included), `$ref`s resolved."""
    out = []
    for p in [*path_item.get("parameters", []), *op.get("parameters", [])]:
        if "$ref" in p:
            name = p["$ref"].rsplit("/", 1)[-1]
            p = doc["components"]["parameters"][name]
        out.append(p)
    return out


def harmless(param):
    schema = param.get("schema", {})
    if schema.get("format") == "uuid":
        return HARMLESS["uuid"]
    kinds = schema.get("type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    return HARMLESS["integer"] if "integer" in kinds else HARMLESS["string"]


def call(base, path, body, token=None):
    headers = {"content-type": "application/json"}
    if token:
        headers["authorization"] = f"Bearer {token}"
    req = urllib.request.Request(base + path, data=json.dumps(body).encode(), headers=headers)
    with urllib.request.urlopen(req, timeout=30) as res:
        return json.load(res)


def reseller_token(base, owner_token):
    """A reseller (the owner may not use the reseller's own routes), signed in."""
    login = {"username": "fuzz-reseller", "password": "kata-sandi-reseller-123"}
    call(base, "/api/resellers", {**login, "name": "Reseller Fuzz"}, owner_token)
    return call(base, "/api/auth/login", login)["access_token"]


def main():
    base, token = sys.argv[1], sys.argv[2]
    excluded = re.compile(sys.argv[3]) if len(sys.argv) > 3 else None
    with urllib.request.urlopen(base + "/api/openapi.json", timeout=30) as res:
        doc = json.load(res)
    owner = {"authorization": f"Bearer {token}"}
    reseller = {"authorization": f"Bearer {reseller_token(base, token)}"}
    problems, sent = [], 0
    for template, path_item in sorted(doc["paths"].items()):
        if excluded and excluded.search(template):
            continue
        auth = reseller if template.startswith("/api/reseller/") else owner
        for method, op in sorted(path_item.items()):
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            if "text/event-stream" in json.dumps(op.get("responses", {})):
                continue  # the event stream answers 200 and stays open (its own tests)
            params = [p for p in parameters(doc, path_item, op) if p["in"] in ("query", "path")]
            body = b"{}" if "requestBody" in op else None
            content_type = "application/json" if body is not None else None
            for target in params:
                for value in HOSTILE:
                    path = template
                    for p in params:
                        if p["in"] == "path":
                            v = value if p is target else harmless(p)
                            path = path.replace("{" + p["name"] + "}", v)
                    if target["in"] == "query":
                        path += "?" + urllib.parse.quote(target["name"]) + "=" + value
                    check(base, method.upper(), path, content_type, body, problems,
                          extra_headers=auth)
                    sent += 1
    for p in problems[:50]:
        print("admin sweep:", p)
    print(f"admin sweep: {sent} requests, {len(problems)} problems")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
