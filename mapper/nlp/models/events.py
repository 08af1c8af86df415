"""The event-type classifier: which ACLED sub-event type (or Diplomacy, or "none") a sentence reports.

A multinomial logistic regression over named features: TF-IDF of word uni- and bigrams (numbers,
months and weekdays as placeholders, proper names left out so that the training conflict's places
and groups do not become evidence) and hand features from mapper/nlp/event_rules.py: every trigger
rule that matches (``rule:<sub-type>``), the rule-only answer with its strength
(``kind:<sub-type>/<strength>``) and context cues (``cue:<name>``, data/event_cues.tsv). Rules are
features here, never overrides.

Run time is numpy only: `EventClassifier.load()` compiles the committed weights (``events.json.gz``)
into one matrix. ``python -m mapper.train events`` fits them (scikit-learn) on the ACLED Somalia
notes and our labelled sentences (train split), prints dev scores beside the rule classifier, and
with ``--test`` the test scores; ``--speed`` times it. See docs/models/events.md.
"""

from __future__ import annotations

import argparse
import csv
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from mapper.nlp.event_rules import (
    CUES,
    NONE,
    ORIGINAL_RULES,
    RULES,
    SUB_EVENT_TYPES,
    TYPE_OF,
    EventKind,
    Hit,
    TriggerRule,
    object_side,
    rule_hits,
    rule_kind,
)
from mapper.nlp.models import LinearModel, load_model

NAME = "events"
CLASSES: tuple[str, ...] = (*SUB_EVENT_TYPES, NONE)

# --- features (run time) -----------------------------------------------------------------------

_MONTHS = frozenset("january february april june july august september october november december "
                    "jan feb apr jun jul aug sep sept oct nov dec".split())
_AMBIGUOUS_MONTHS = frozenset(("march", "may"))  # months only beside a number ("1 May"), else words
_DAYS = frozenset(f"{d}{s}" for d in ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
                  for s in ("", "s"))
_RAW_TOKEN = re.compile(r"\d+(?:[.,:]\d+)*(?:st|nd|rd|th|s)?|[a-z]+")


def tokens(text: str) -> list[str]:
    """Lower-case word tokens with numbers, months and weekdays as placeholders (dates are not evidence)."""
    raw = _RAW_TOKEN.findall(text.lower())
    out = ["_num_" if t[0].isdigit() else "_day_" if t in _DAYS else "_month_" if t in _MONTHS else t for t in raw]
    for i, t in enumerate(out):
        if t in _AMBIGUOUS_MONTHS and "_num_" in out[max(0, i - 1):i + 2]:
            out[i] = "_month_"
    return out


def ngrams(toks: Sequence[str]) -> list[str]:
    """Word unigrams and bigrams, named as features ("w:shelled", "w:were killed")."""
    return [f"w:{t}" for t in toks] + [f"w:{a} {b}" for a, b in zip(toks, toks[1:])]


def hand_features(text: str, hits: list[Hit] | None = None, *, scale: float = 1.0,
                  toks: Sequence[str] | None = None) -> dict[str, float]:
    """The rules and cues that fire on `text`: ``rule:<sub>`` for every trigger rule that matches,
    ``kind:<sub>/<strength>`` for the rule-only answer (``kind:none`` when the rules find nothing), ``cue:<name>``
    for every cue word list (data/event_cues.tsv) with a word in the text (or, for the target cues, on the
    side of the trigger where its object stands). All have the value
    `scale` (larger: cheaper for the regularised fit to lean on them)."""
    hits = rule_hits(text) if hits is None else hits
    out = {f"rule:{hit.rule.sub_event_type}": scale for hit in hits}
    kind = rule_kind(text, hits=hits)
    # The rules' answer with its strength: a weapon or act named (2) is firmer than a consequence (0).
    out[f"kind:{kind.sub_event_type}/{kind.strength}" if kind else f"kind:{NONE}"] = scale
    if kind is not None:
        out[f"strength:{kind.strength}"] = scale
    toks = tokens(text) if toks is None else toks
    grams = _grams(toks)
    target = None
    for cue in CUES:
        if cue.scope == "object":
            target = _grams(tokens(object_side(text, hits))) if target is None else target
            found = not target.isdisjoint(cue.words)
        else:
            found = not grams.isdisjoint(cue.words)
        if found:
            out[f"cue:{cue.name}"] = scale
    return out


def _grams(toks: Sequence[str]) -> set[str]:
    return {*toks, *(f"{a} {b}" for a, b in zip(toks, toks[1:]))}


def text_features(text: str, idf: dict[str, float], toks: Sequence[str] | None = None) -> dict[str, float]:
    """TF-IDF (sublinear tf, L2-normalised) of the n-grams of `text` that are in the vocabulary `idf`."""
    counts = Counter(g for g in ngrams(tokens(text) if toks is None else toks) if g in idf)
    vals = {g: (1.0 + math.log(n)) * idf[g] for g, n in counts.items()}
    norm = math.sqrt(sum(v * v for v in vals.values())) or 1.0
    return {g: v / norm for g, v in vals.items()}


def features(text: str, idf: dict[str, float], hits: list[Hit] | None = None, *, scale: float = 1.0) -> dict[str, float]:
    """All named features of one sentence (`scale`: the value of a hand feature that fires)."""
    toks = tokens(text)
    return {**text_features(text, idf, toks), **hand_features(text, hits, scale=scale, toks=toks)}


# --- the classifier (run time, numpy only) ------------------------------------------------------


@dataclass(frozen=True)
class Scored:
    """One sentence scored: class probabilities (in `CLASSES` order) and the features that fired."""

    probs: np.ndarray
    features: dict[str, float]
    hits: list[Hit]


class _Matrix:
    """A linear model's weights as one matrix (feature x class) for fast scoring; unknown features weigh 0."""

    def __init__(self, model: LinearModel):
        names = sorted({f for w in model.weights for f in w})
        self.index = {f: i for i, f in enumerate(names)}
        self.weights = np.zeros((len(names) + 1, len(model.weights)))
        for c, w in enumerate(model.weights):
            for f, v in w.items():
                self.weights[self.index[f], c] = v
        self.intercepts = np.asarray(model.intercepts, dtype=float)

    def logits(self, feats: dict[str, float]) -> np.ndarray:
        unknown = len(self.index)
        idx = np.fromiter((self.index.get(f, unknown) for f in feats), dtype=np.intp, count=len(feats))
        vals = np.fromiter(feats.values(), dtype=float, count=len(feats))
        return self.intercepts + vals @ self.weights[idx]

    def contributions(self, feats: dict[str, float], column: int) -> list[tuple[str, float]]:
        return [(f, v * float(self.weights[self.index[f], column])) for f, v in feats.items() if f in self.index]


class EventClassifier:
    """The event model, one softmax over the sub-types, Diplomacy and "none", compiled for fast scoring."""

    def __init__(self, model: LinearModel):
        if model.classes != CLASSES:
            raise ValueError(f"model {model.name!r} does not have the event classes {CLASSES} (retrain it)")
        self.model = model
        self.classes: tuple[str, ...] = CLASSES
        self.idf: dict[str, float] = model.meta["idf"]
        self.scale = float(model.meta["settings"]["hand_scale"])
        self._matrix = _Matrix(model)

    @classmethod
    def load(cls, name: str = NAME) -> EventClassifier:
        """The committed model (cached per process: the compiled matrix is built once)."""
        return _compiled(name)

    def score(self, text: str, *, hits: list[Hit] | None = None) -> Scored:
        """The class probabilities of `text`; `hits` are its `rule_hits` when the caller has them."""
        hits = rule_hits(text) if hits is None else hits
        feats = features(text, self.idf, hits, scale=self.scale)
        z = self._matrix.logits(feats)
        e = np.exp(z - z.max())
        return Scored(e / e.sum(), feats, hits)

    def label(self, scored: Scored) -> str:
        """The most probable class: a sub-type, or "none"."""
        return self.classes[int(np.argmax(scored.probs))]

    def contributions(self, scored: Scored, cls: str, *, top: int = 5) -> list[tuple[str, float]]:
        """The features that pushed `cls` most (name, weight x value), strongest first."""
        parts = self._matrix.contributions(scored.features, self.classes.index(cls))
        return [(f, round(x, 3)) for f, x in sorted(parts, key=lambda p: -p[1])[:top] if x > 0]


@lru_cache(maxsize=None)
def _compiled(name: str) -> EventClassifier:
    return EventClassifier(load_model(name))


# --- training data ------------------------------------------------------------------------------

SENTENCES = "labelled_sentences.tsv"
# ACLED coders' conventions that are not news: a category prefix ("Movement of forces: On ..."),
# the date opening ("On 1 April 2025,") and notes about coding ("coded separately", "fatalities coded as 3").
_CODER_PREFIX = re.compile(r"^[A-Z][A-Za-z /-]{2,40}:\s+(?=On\b)")
_DATE_OPENING = re.compile(r"^On\s+\d{1,2}\s+[A-Z][a-z]+\s+\d{4},\s*(?:(?:overnight|for\s+the\s+\w+\s+day),\s*)?")
_CODING_ASIDE = re.compile(r"\s*\([^()]*\bcoded\b[^()]*\)")
_CODING_SENTENCE = re.compile(r"(?:^|(?<=\.))[^.]*\bcoded\b[^.]*\.?")


@dataclass(frozen=True, slots=True)
class Example:
    source: str  # "acled-somalia" or "sentences"
    doc_id: str
    text: str
    label: str  # a sub-event type, or "none"


def acled_text(note: str) -> str:
    """An ACLED note as the news would say it: without the coder's prefix, date opening and coding notes."""
    s = _CODER_PREFIX.sub("", note.strip())
    s = _DATE_OPENING.sub("", s)
    s = _CODING_SENTENCE.sub("", _CODING_ASIDE.sub("", s)).strip()
    return s[:1].upper() + s[1:]


def acled_examples(splits_module: Any, split: str) -> list[Example]:
    return [Example("acled-somalia", r["id"], acled_text(r["notes"]), r["sub_event_type"])
            for r in splits_module.acled_rows(split) if r["sub_event_type"] in TYPE_OF]


def sentence_rows() -> list[dict[str, str]]:
    """Our labelled news-style sentences (mapper/nlp/data/labelled_sentences.tsv)."""
    text = (resources.files("mapper.nlp") / "data" / SENTENCES).read_text(encoding="utf-8")
    rows = list(csv.DictReader(text.splitlines(), delimiter="\t", quoting=csv.QUOTE_NONE))
    for row in rows:
        label = row["sub_event_type"]
        if label != NONE and TYPE_OF.get(label) != row["event_type"]:
            raise ValueError(f"{SENTENCES} {row['id']}: {row['event_type']!r} / {label!r} is not in the vocabulary")
    return rows


def sentence_examples(splits_module: Any, split: str) -> list[Example]:
    return [Example("sentences", r["id"], r["sentence"], r["sub_event_type"])
            for r in sentence_rows() if splits_module.split_of("sentences", r["id"]) == split]


# --- fitting --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Settings:
    """What `fit` is allowed to choose; the defaults are the ones chosen on dev (docs/models/events.md)."""

    c: float = 10.0  # inverse L2 strength of the logistic regression
    sentence_weight: float = 3.0  # weight of one labelled sentence relative to one ACLED note
    balanced: bool = False  # class weights inversely proportional to class frequency
    min_df: int = 2  # n-grams in fewer training documents are left out
    max_ngrams: int = 12000  # vocabulary size (most frequent n-grams first)
    hand_scale: float = 1.0  # the value of a rule or cue feature that fires (TF-IDF values are below 1)
    prune: float = 0.02  # weights smaller than this are not stored


_WORD = re.compile(r"[A-Za-z]+")


def proper_names(texts: Iterable[str]) -> set[str]:
    """Lower-cased words written with a capital in most of their occurrences away from a sentence start:
    names of places, groups and people, which would tie the model to the conflicts it was trained on."""
    upper: Counter[str] = Counter()
    seen: Counter[str] = Counter()
    for text in texts:
        for m in _WORD.finditer(text):
            before = text[:m.start()].rstrip()
            if not before or before[-1] in ".!?:;\"(":
                continue
            w = m.group(0)
            seen[w.lower()] += 1
            upper[w.lower()] += w[0].isupper()
    return {w for w, n in seen.items() if upper[w] > n / 2}


def vocabulary(texts: Sequence[str], settings: Settings) -> dict[str, float]:
    """n-gram -> idf (smoothed, as scikit-learn computes it) for the kept n-grams, sorted for determinism."""
    names = proper_names(texts)
    df: Counter[str] = Counter()
    for text in texts:
        toks = tokens(text)
        grams = {g for g in ngrams(toks) if not any(part in names for part in g[2:].split())}
        df.update(grams)
    kept = sorted((g for g, n in df.items() if n >= settings.min_df), key=lambda g: (-df[g], g))[:settings.max_ngrams]
    n_docs = len(texts)
    return {g: round(math.log((1 + n_docs) / (1 + df[g])) + 1.0, 5) for g in sorted(kept)}


@dataclass(frozen=True)
class Vectors:
    """Training examples as named features, with the vocabulary they were computed with."""

    idf: dict[str, float]
    rows: list[dict[str, float]]


def vectorise(train: Sequence[Example], settings: Settings) -> Vectors:
    idf = vocabulary([e.text for e in train], settings)
    return Vectors(idf, [features(e.text, idf, scale=settings.hand_scale) for e in train])


def fit(train: Sequence[Example], settings: Settings, vectors: Vectors | None = None) -> LinearModel:
    """The event model fitted on `train` (deterministic: same data and settings, same weights).
    `vectors`: `vectorise(train, settings)` when the caller has them already."""
    vectors = vectors or vectorise(train, settings)
    missing = sorted(set(CLASSES) - {e.label for e in train})
    if missing:
        raise ValueError(f"no training example for {missing}")
    model = _logistic(vectors.rows, [e.label for e in train],
                      [settings.sentence_weight if e.source == "sentences" else 1.0 for e in train],
                      c=settings.c, balanced=settings.balanced, prune=settings.prune, classes=CLASSES)
    meta = {"idf": vectors.idf, "settings": asdict(settings),
            "trained_on": dict(sorted(Counter(e.source for e in train).items()))}
    return LinearModel(name=NAME, classes=model.classes, weights=model.weights, intercepts=model.intercepts, meta=meta)


def _logistic(rows: list[dict[str, float]], labels: list[str], weights: list[float], *, c: float, balanced: bool,
              prune: float, classes: tuple[str, ...]) -> LinearModel:
    """scikit-learn's multinomial logistic regression, stored as a `LinearModel` over the named features."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = DictVectorizer(sort=True)
    x = vec.fit_transform(rows)
    clf = LogisticRegression(C=c, max_iter=3000, class_weight="balanced" if balanced else None)
    clf.fit(x, labels, sample_weight=weights)
    names = vec.get_feature_names_out()
    by_class = {k: i for i, k in enumerate(clf.classes_)}
    return LinearModel(
        name=NAME, classes=classes,
        weights=tuple({str(names[j]): float(v) for j, v in enumerate(clf.coef_[by_class[k]]) if abs(v) >= prune}
                      for k in classes),
        intercepts=tuple(float(clf.intercept_[by_class[k]]) for k in classes))


# --- scoring ----------------------------------------------------------------------------------------


def type_of(label: str) -> str:
    return TYPE_OF.get(label, NONE)


def prf(gold: Sequence[str], pred: Sequence[str]) -> dict[str, tuple[int, float, float, float]]:
    """label -> (support, precision, recall, F1) over the labels in gold or pred."""
    out = {}
    for label in sorted(set(gold) | set(pred)):
        tp = sum(g == p == label for g, p in zip(gold, pred))
        n_pred = sum(p == label for p in pred)
        n_gold = sum(g == label for g in gold)
        p = tp / n_pred if n_pred else 0.0
        r = tp / n_gold if n_gold else 0.0
        out[label] = (n_gold, p, r, 2 * p * r / (p + r) if p + r else 0.0)
    return out


def macro_f1(gold: Sequence[str], pred: Sequence[str]) -> float:
    table = prf(gold, pred)
    present = [table[g][3] for g in set(gold)]
    return sum(present) / len(present) if present else 0.0


def accuracy(gold: Sequence[str], pred: Sequence[str]) -> float:
    return sum(g == p for g, p in zip(gold, pred)) / len(gold) if gold else 0.0


def predict_labels(clf: EventClassifier, texts: Sequence[str]) -> list[str]:
    return [clf.label(clf.score(t)) for t in texts]


def rule_labels(texts: Sequence[str], rules: tuple[TriggerRule, ...]) -> list[str]:
    """The rule classifier's answers; a consequence alone (strength 0) is no event, as the incident builder treats it."""
    out = []
    for t in texts:
        k: EventKind | None = rule_kind(t, rules=rules)
        out.append(k.sub_event_type if k is not None and k.strength > 0 else NONE)
    return out


def report(title: str, gold: Sequence[str], systems: dict[str, Sequence[str]]) -> None:
    """Per-type and per-sub-type P/R/F1 and accuracy of each system, side by side."""
    names = list(systems)
    print(f"\n== {title}: {len(gold)} examples")
    for level, key in (("event type", type_of), ("sub-event type", lambda s: s)):
        g = [key(x) for x in gold]
        ps = {n: [key(x) for x in systems[n]] for n in names}
        tables = {n: prf(g, p) for n, p in ps.items()}
        head = "".join(f" | {n[:22]:>22}" for n in names)
        print(f"\n{level:36} {'n':>5}{head}")
        print(f"{'':36} {'':>5}" + " | {:>6} {:>6} {:>6}".format("P", "R", "F1") * len(names))
        for label in sorted(set(g)):
            row = "".join(" | {:6.2f} {:6.2f} {:6.2f}".format(*tables[n][label][1:]) if label in tables[n] else " |" + " " * 22
                          for n in names)
            print(f"{label[:36]:36} {tables[names[0]][label][0]:5d}{row}")
        print(f"{'accuracy':36} {len(g):5d}" + "".join(f" | {accuracy(g, ps[n]):20.3f}  " for n in names))
        print(f"{'macro F1':36} {'':5}" + "".join(f" | {macro_f1(g, ps[n]):20.3f}  " for n in names))


def evaluate(model: LinearModel, examples: Sequence[Example], title: str) -> dict[str, float]:
    """Print the model's scores on `examples` beside the rules' (today's and this branch's), per source."""
    clf = EventClassifier(model)
    out = {}
    for source in ("acled-somalia", "sentences"):
        part = [e for e in examples if e.source == source]
        if not part:
            continue
        texts, gold = [e.text for e in part], [e.label for e in part]
        pred = predict_labels(clf, texts)
        report(f"{title}, {source}", gold, {
            "model": pred,
            "rules (before #12)": rule_labels(texts, ORIGINAL_RULES),
            "rules (all triggers)": rule_labels(texts, RULES),
        })
        out[source] = macro_f1(gold, pred)
    return out


def main(argv: list[str] | None = None) -> int:
    from mapper.train import splits

    parser = argparse.ArgumentParser(prog="python -m mapper.train events", description=__doc__.split("\n\n")[0])
    parser.add_argument("--test", action="store_true", help="also print the scores on the test split (once, at the end)")
    parser.add_argument("--grid", action="store_true", help="fit a grid of settings and print their dev scores; saves nothing")
    parser.add_argument("--out", type=Path, help="write the weights here instead of mapper/nlp/models/events.json.gz")
    parser.add_argument("--speed", action="store_true",
                        help="time the committed model on the dev notes' sentences, beside the rules alone; trains nothing")
    args = parser.parse_args(argv)

    sp = splits()
    if args.speed:
        return _speed(acled_examples(sp, "dev"))
    train = acled_examples(sp, "train") + sentence_examples(sp, "train")
    dev = acled_examples(sp, "dev") + sentence_examples(sp, "dev")
    print(f"train: {Counter(e.source for e in train)}; dev: {Counter(e.source for e in dev)}")
    if args.grid:
        return _grid(train, dev)
    model = fit(train, Settings())
    path = model.save(args.out)
    print(f"wrote {path} ({path.stat().st_size / 1e6:.2f} MB, {sum(len(w) for w in model.weights)} weights)")
    evaluate(model, dev, "dev")
    if args.test:
        test = acled_examples(sp, "test") + sentence_examples(sp, "test")
        evaluate(model, test, "TEST (report once)")
    return 0


def _speed(examples: Sequence[Example]) -> int:
    """Sentences per second of the classifier and of the rules alone, on the same sentences in one run
    (CPU time of this process, which other work on the machine disturbs less than the wall clock)."""
    import time

    sentences = [s for e in examples for s in re.split(r"(?<=[.!?])\s+", e.text) if s]
    clf = EventClassifier.load()
    for name, run in (("rules alone (rule_kind)", rule_kind), ("classifier (score)", clf.score)) * 2:
        wall, cpu = time.perf_counter(), time.process_time()
        for s in sentences:
            run(s)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        print(f"{name:26} {len(sentences) / cpu:8.0f} sentences/s of CPU, {len(sentences) / wall:8.0f} of wall clock "
              f"({len(sentences)} sentences)")
    return 0


def _grid(train: Sequence[Example], dev: Sequence[Example]) -> int:
    """Dev macro-F1 (ACLED notes, our sentences, their mean) for a small grid of settings."""
    from itertools import product

    acled = [e for e in dev if e.source == "acled-somalia"]
    sents = [e for e in dev if e.source == "sentences"]
    a_gold, s_gold = [e.label for e in acled], [e.label for e in sents]
    print(f"{'hand':>5} {'C':>5} {'sent_w':>6} {'bal':>5} | {'acled F1':>8} {'acc':>6} | {'sent F1':>8} {'acc':>6} | {'mean F1':>7}")
    for hs in (1.0, 2.0):
        vectors = vectorise(train, Settings(hand_scale=hs))
        for c, sw, bal in product((10.0, 30.0), (3.0, 6.0), (False, True)):
            model = fit(train, Settings(c=c, sentence_weight=sw, balanced=bal, hand_scale=hs), vectors)
            clf = EventClassifier(model)
            a_pred = predict_labels(clf, [e.text for e in acled])
            s_pred = predict_labels(clf, [e.text for e in sents])
            fa, fs = macro_f1(a_gold, a_pred), macro_f1(s_gold, s_pred)
            print(f"{hs:5g} {c:5g} {sw:6g} {bal!s:>5} | {fa:8.3f} {accuracy(a_gold, a_pred):6.3f} | "
                  f"{fs:8.3f} {accuracy(s_gold, s_pred):6.3f} | {(fa + fs) / 2:7.3f}", flush=True)
    return 0
