"""Hostile requests against every route of the public listener (the one on the internet):
pay pages, the voucher shop, the customer page, webhooks and checks.

The public listener has no OpenAPI document (its routes are pay pages, webhooks and
checks, not an API for programs), so this is a checked list: each route template with
hostile path values, query strings, bodies and methods. Every answer must come (no dropped
connection), be below 500, and be either an HTML page or the JSON error shape
`{"error": {"kind", "message"}}`. `rounds` repeats the list with more random values.

Usage: public_listener.py http://127.0.0.1:PORT [rounds] [seed]
"""

import http.client
import json
import random
import sys
import time
import urllib.parse

ROUTES = [
    ("GET", "/pay/{v}"),
    ("POST", "/pay/{v}/payments"),
    ("POST", "/pay/{v}/manual"),
    ("GET", "/pay/{v}/status"),
    ("GET", "/pay/return/{v}"),
    ("GET", "/shop"),
    ("POST", "/shop/orders"),
    ("GET", "/shop/o/{v}"),
    ("POST", "/shop/o/{v}/payments"),
    ("GET", "/shop/o/{v}/status"),
    ("GET", "/portal"),
    ("POST", "/portal/code"),
    ("POST", "/portal/verify"),
    ("POST", "/portal/pay"),
    ("POST", "/portal/logout"),
    ("GET", "/portal/receipt/{v}"),
    ("GET", "/healthz"),
    ("GET", "/.well-known/mikrobill-check/{v}"),
    ("POST", "/api/payments/webhook/{v}"),
    ("POST", "/api/whatsapp/webhook/{v}"),
    ("GET", "/api/whatsapp/webhook/{v}"),
    ("GET", "/{v}"),
]
VALUES = [
    "x", "%00", "a%00b", "%01%1F%7F", "%FF%FE", "..%2F..%2Fetc%2Fpasswd", "9" * 30,
    "-9223372036854775809", "9223372036854775807", "00000000-0000-0000-0000-000000000000",
    "duitku", "tripay", "midtrans", "xendit", "%C3%A9" * 200, "a" * 3000,
]
QUERIES = ["", "?lang=%00", "?lang=en&lang=id", "?hub.mode=subscribe&hub.challenge=%00",
           "?hub.verify_token=" + "a" * 5000, "?%00=%00", "?page=9223372036854775808"]
METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"]


def bodies(rng):
    yield None, None
    yield "application/json", b'{"gateway":"\\u0000","method":"\\u0000"}'
    yield "application/json", b'{"gateway":"fake","method":"x","amount":9223372036854775808}'
    yield "application/json", b'{"merchantOrderId":"a\\u0000","amount":"-1"}'
    yield "application/json", b"{"
    yield "text/plain", b"\x00\x01\x02"
    yield "application/x-www-form-urlencoded", b"merchantOrderId=%00&amount=99999999999999999999"
    # The shop's and the customer page's forms.
    yield "application/x-www-form-urlencoded", b"profile_id=%00&phone=%00"
    yield "application/x-www-form-urlencoded", b"profile_id=00000000-0000-0000-0000-000000000000&phone=" + b"9" * 500
    yield "application/x-www-form-urlencoded", b"who=%00&code=%FF%FE"
    yield "application/x-www-form-urlencoded", b"who=" + b"a" * 5000 + b"&code=999999999999"
    yield "application/x-www-form-urlencoded", b"csrf=%00&invoice_id=-9223372036854775809"
    # Over every body limit of the listener (3 MB for transfer proofs), so it is refused from
    # its Content-Length alone.
    yield "application/json", b" " * (4 * 1024 * 1024)
    boundary = "fuzzfuzz"
    parts = [
        ("amount", b"999999999999999999999999"),
        ("payer_name", b"Budi\x00"),
        ("proof", bytes(rng.randrange(256) for _ in range(64))),
    ]
    body = b"".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{n}"\r\n\r\n'.encode() + v + b"\r\n"
        for n, v in parts
    ) + f"--{boundary}--\r\n".encode()
    yield f"multipart/form-data; boundary={boundary}", body


def check(base, method, path, content_type, body, problems, attempts=1, extra_headers=None):
    """One request; with `attempts` > 1 a 429 (the per-address rate limit of the pay pages,
    10 a second after a burst of 60) is retried after its Retry-After. The CI size takes a
    429 as an answer (it is JSON and below 500) to stay within its time budget.
    `extra_headers` (e.g. the admin API's bearer token) go with the request."""
    url = urllib.parse.urlsplit(base)
    oversized = body is not None and len(body) > 3 * 1024 * 1024
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=2 if oversized else 20)
    headers = {"content-type": content_type} if content_type else {}
    headers.update(extra_headers or {})
    what = f"{method} {path[:100]} ({content_type or 'no body'})"
    try:
        if oversized:
            # Over every body limit of this listener: the server answers 413 from the
            # Content-Length alone; sending the bytes would only race its early answer.
            conn.putrequest(method, path)
            for name, value in {**headers, "content-length": str(len(body))}.items():
                conn.putheader(name, value)
            conn.endheaders()
        else:
            conn.request(method, path, body=body, headers=headers)
        res = conn.getresponse()
        status, kind = res.status, res.getheader("content-type") or ""
        text = res.read()
    except TimeoutError:
        if not oversized:
            problems.append(f"{what}: no answer (timed out)")
        # An oversized body sent as headers only: a route that reads its body waits for the
        # declared bytes (a real client sends them and gets 413); only an answer is checked.
        return
    except (OSError, http.client.HTTPException) as e:
        problems.append(f"{what}: no answer ({e!r})")
        return
    finally:
        conn.close()
    if status == 429 and attempts > 1:
        time.sleep(min(float(res.getheader("retry-after") or 1), 2.0))
        check(base, method, path, content_type, body, problems, attempts - 1, extra_headers)
        return
    if status >= 500:
        problems.append(f"{what}: {status} {text[:200]!r}")
    elif status >= 400 and not kind.startswith("text/html"):
        try:
            err = json.loads(text)["error"]
            assert isinstance(err["kind"], str) and isinstance(err["message"], str)
        except Exception:
            problems.append(f"{what}: {status} outside the JSON error shape: {text[:200]!r}")


def main():
    base = sys.argv[1]
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    attempts = 4 if rounds > 1 else 1
    rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 20261207)
    problems, sent = [], 0
    for r in range(rounds):
        for method, template in ROUTES:
            values = VALUES if r == 0 else rng.sample(VALUES, 4)
            for i, value in enumerate(values):
                path = template.replace("{v}", value) + QUERIES[(i + r) % len(QUERIES)]
                for content_type, body in bodies(rng):
                    if method == "GET" and body is not None:
                        continue
                    if body is not None and len(body) > 3 * 1024 * 1024 and i > 0:
                        continue  # one oversized body per route and round is enough
                    check(base, method, path, content_type, body, problems, attempts)
                    sent += 1
            for other in METHODS:
                check(base, other, template.replace("{v}", "x"), None, None, problems)
                sent += 1
        check(base, "GET", "/healthz?q=" + "a" * 20000, None, None, problems)
        sent += 1
    for p in problems[:50]:
        print("public fuzz:", p)
    print(f"public fuzz: {sent} requests, {len(problems)} problems")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
