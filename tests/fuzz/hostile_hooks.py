"""Schemathesis hooks: hostile values the schema-driven generator rarely produces.

Loaded by schemathesis.sh through SCHEMATHESIS_HOOKS. Each generated request may get one of
its query parameters, path parameters or body strings replaced by a value from the lists
below: NUL and other control characters, text far over any length limit, and numbers at
the ends of (and just past) i64. The server must answer each with a 4xx, never a 5xx or a
dropped connection (issue #24: a page number of i64::MAX panicked, a NUL gave 500).
"""

import schemathesis
from hypothesis import strategies as st

HOSTILE_TEXT = [
    "\x00",
    "a\x00b",
    "\x01\x02\x1b[31m\x7f",
    "\r\n\t",
    "\u202e\ufeff",
    "x" * 5000,
    "é" * 2100,
]
HOSTILE_NUMBERS = [
    2**63 - 1,
    -(2**63),
    2**63,
    -(2**63) - 1,
    10**30,
    -1,
    0,
]
HOSTILE = [*HOSTILE_TEXT, *(str(n) for n in HOSTILE_NUMBERS)]


def _replace_one(mapping, values):
    """A strategy: `mapping` unchanged, or with one key's value replaced."""
    if not isinstance(mapping, dict) or not mapping:
        return st.just(mapping)
    keys = sorted(mapping)
    return st.one_of(
        st.just(mapping),
        st.tuples(st.sampled_from(keys), st.sampled_from(values)).map(
            lambda kv: {**mapping, kv[0]: kv[1]}
        ),
    )


def _paths(value, prefix=()):
    """Paths to every string or integer inside a JSON body."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _paths(v, (*prefix, i))
    elif isinstance(value, (str, int)) and not isinstance(value, bool):
        yield prefix


def _set(value, path, new):
    if not path:
        return new
    head, rest = path[0], path[1:]
    if isinstance(value, dict):
        return {**value, head: _set(value[head], rest, new)}
    copy = list(value)
    copy[head] = _set(copy[head], rest, new)
    return copy


@schemathesis.hook
def flatmap_query(ctx, query):
    return _replace_one(query, HOSTILE)


@schemathesis.hook
def flatmap_path_parameters(ctx, path_parameters):
    return _replace_one(path_parameters, HOSTILE)


@schemathesis.hook
def flatmap_body(ctx, body):
    paths = list(_paths(body))
    if not paths:
        return st.just(body)
    values = [*HOSTILE_TEXT, *HOSTILE_NUMBERS]
    return st.one_of(
        st.just(body),
        st.tuples(st.sampled_from(paths), st.sampled_from(values)).map(
            lambda pv: _set(body, pv[0], pv[1])
        ),
    )
