r"""What a regular expression needs: literal strings at least one of which every match contains.

A substring test is far cheaper than a regex search, so the trigger rules check their needed
words first (`needed_literals`) and search only sentences that have one. Covers the syntax the
rules use: groups, alternation, quantifiers, escapes, classes and lookarounds.

>>> sorted(needed_literals(r"\b(?:hand\s+)?grenades?\b"))
['grenade']
>>> needed_literals(r"\w+") is None
True
"""

from __future__ import annotations

_ZERO_WIDTH_ESCAPES = "bBAZ"
def needed_literals(pattern: str) -> frozenset[str] | None:
    """Strings at least one of which every match of `pattern` contains, or None when that cannot be
    said (a branch with no literal). For the ASCII word patterns of the trigger rules."""
    tree, end = _parse(pattern, 0)
    if end != len(pattern):
        raise ValueError(f"unbalanced pattern at {end}: {pattern[:60]}")
    return _need(tree)


# Tree: ("alt", [seq, ...]); a seq is a list of items; an item is ("lit", ch) | ("other",) | ("zero",)
# | ("group", alt) | ("rep", item, min).
def _parse(p: str, i: int) -> tuple[tuple, int]:
    branches, seq = [], []
    while i < len(p):
        c = p[i]
        if c == ")":
            break
        if c == "|":
            branches.append(seq)
            seq, i = [], i + 1
            continue
        if c == "\\":
            e = p[i + 1]
            item = ("zero",) if e in _ZERO_WIDTH_ESCAPES else ("other",) if e.isalnum() else ("lit", e)
            i += 2
        elif c == "[":
            j = i + 1
            if p[j] == "^":
                j += 1
            if p[j] == "]":
                j += 1
            while p[j] != "]":
                j += 2 if p[j] == "\\" else 1
            item, i = ("other",), j + 1
        elif c == "(":
            if p.startswith(("(?=", "(?!", "(?<=", "(?<!"), i):
                body = i + (4 if p[i + 2] == "<" else 3)
                _, j = _parse(p, body)
                item, i = ("zero",), j + 1  # a lookaround matches no text: it needs nothing
            else:
                j = i + 1
                if p[j] == "?":  # (?:  (?P<name>  (?i:
                    j = p.index(":", j) + 1 if p[j + 1] != "P" else p.index(">", j) + 1
                inner, j = _parse(p, j)
                item, i = ("group", inner), j + 1
        elif c in "^$":
            item, i = ("zero",), i + 1
        elif c == ".":
            item, i = ("other",), i + 1
        else:
            item, i = ("lit", c), i + 1
        # a quantifier applies to the item just read
        if i < len(p) and p[i] in "?*+{":
            if p[i] == "{":
                j = p.index("}", i)
                low = int(p[i + 1:j].split(",")[0] or 0)
                i = j + 1
            else:
                low = 1 if p[i] == "+" else 0
                i += 1
            if i < len(p) and p[i] == "?":
                i += 1  # lazy
            item = ("rep", item, low)
        seq.append(item)
    branches.append(seq)
    return ("alt", branches), i


def _need(node: tuple) -> frozenset[str] | None:
    kind = node[0]
    if kind == "alt":
        out: set[str] = set()
        for seq in node[1]:
            need = _need_seq(seq)
            if need is None:
                return None
            out |= need
        return frozenset(out)
    if kind == "group":
        return _need(node[1])
    if kind == "rep":
        return _need(node[1]) if node[2] >= 1 else None
    if kind == "lit":
        return frozenset(node[1])
    return None


def _need_seq(seq: list[tuple]) -> frozenset[str] | None:
    """The most selective need of a concatenation: any one item's need is necessary for the whole."""
    candidates, run = [], ""
    for item in seq + [("zero",)]:
        if item[0] == "lit":
            run += item[1]
            continue
        if run:
            candidates.append(frozenset([run]))
            run = ""
        if item[0] != "zero":
            need = _need(item)
            if need is not None:
                candidates.append(need)
    if not candidates:
        return None
    return max(candidates, key=lambda s: (min(len(x) for x in s), -len(s)))
