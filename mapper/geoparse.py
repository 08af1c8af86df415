"""Find and resolve every place mention in a text: `find_mentions(text, gazetteer)`.

Recognition is a dictionary pass first (`mapper.toponyms.scan`: capitalised runs the
gazetteer knows, widened to region and direction phrases), then spaCy's NER only where it can
change the answer: around names that could also be a person, a company or a word. Running the
model on a few tokens each side of those names gives the same labels as running it on the
whole text (its window is four tokens wide) at a fraction of the cost. Resolution
(`mapper.resolve`) then ranks each name's senses with the whole document as context.
"""

from __future__ import annotations

from dataclasses import dataclass

from mapper.errors import ArticleError
from mapper.records import Mention
from mapper import resolve as resolver
from mapper.toponyms import Candidate, demonym_countries, scan

MAX_CHARS = 1_000_000  # ~150,000 words: far beyond any article; keeps a stray dump from hanging a batch
NER_LABELS = frozenset({"GPE", "LOC", "FAC"})
WINDOW = 6  # tokens of context each side of an uncertain name (tok2vec sees 4, NER features 1-2 more)
# A name this important is a place wherever it stands alone (metonymy included: "Kyiv said").
STRONG_FEATURES = frozenset({"country", "admin1", "region"})
STRONG_POPULATION = 100_000


@dataclass(slots=True)
class _Found:
    start: int
    end: int
    name: str
    base: str
    kind: str
    label: str


def find_mentions(text: str, gazetteer, *, nlp=None) -> list[Mention]:
    """Place mentions in `text`, in order, with character offsets and resolved places.

    Empty or whitespace-only text gives ``[]``; text that is not text (NUL bytes, mostly control
    characters) or longer than `MAX_CHARS` raises `ArticleError`.
    """
    check_text(text)
    if not text.strip():
        return []
    if nlp is None:
        from mapper.nlp import load_nlp

        nlp = load_nlp()
    from gazetteer.normalize import normalize_name

    doc = nlp.make_doc(text)
    cands = scan(doc, gazetteer.has_name, normalize_name, stop_words=nlp.Defaults.stop_words)
    priors = {c.name: resolver.prior(gazetteer, c.name, c.base) for c in cands}
    unsure = [c for c in cands if not _sure(doc, c, priors[c.name])]
    ents = _ner(nlp, doc, unsure)
    found = _decide(doc, cands, unsure, ents, priors)
    countries = demonym_countries(doc, gazetteer.demonym)
    places = resolver.resolve_all(
        [(f.name, f.base, f.kind, f.start, f.end) for f in found], gazetteer, text=text,
        demonyms=countries,
    )
    return [
        Mention(text=text[f.start : f.end], start=f.start, end=f.end, place=p, label=f.label)
        for f, p in zip(found, places, strict=True)
    ]


def check_text(text: object) -> None:
    """Raise `ArticleError` for input that is not a reasonable text."""
    if not isinstance(text, str):
        raise ArticleError(f"expected text (str), got {type(text).__name__}")
    if len(text) > MAX_CHARS:
        raise ArticleError(f"text too long: {len(text):,} characters (limit {MAX_CHARS:,})")
    if "\x00" in text:
        raise ArticleError("binary data, not text (NUL bytes)")
    sample = text[:20_000]
    bad = sum(1 for ch in sample if (ch < " " and ch not in "\t\n\r\f\v") or ch == "\ufffd")
    if sample and bad > 0.05 * len(sample):
        raise ArticleError("binary data, not text (control characters)")


def _sure(doc, c: Candidate, prior: resolver.Prior | None) -> bool:
    """Can the dictionary alone say this is a place? Only for big names standing alone."""
    if prior is None:
        return False
    if c.kind != "name":
        return True  # "Donetsk Oblast", "eastern Ukraine": the phrase itself says place
    if c.run != (c.start, c.end):
        return False  # part of a longer name: "Washington Post", "Moscow State University"
    if not (prior.feature in STRONG_FEATURES or prior.population >= STRONG_POPULATION):
        return False
    prev = doc[c.start - 1].lower_ if c.start else ""
    return prev not in {"mr", "mr.", "mrs", "mrs.", "ms", "ms.", "dr", "dr."}


def _windows(doc, cands: list[Candidate]) -> list[tuple[int, int]]:
    spans: list[list[int]] = []
    for c in sorted(cands, key=lambda c: c.start):
        a, b = max(0, min(c.start, c.run[0]) - WINDOW), min(len(doc), max(c.end, c.run[1]) + WINDOW)
        if spans and a <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], b)
        else:
            spans.append([a, b])
    return [(a, b) for a, b in spans]


def _ner(nlp, doc, cands: list[Candidate]) -> list[tuple[int, int, str]]:
    """NER entities (token start, token end, label) inside windows around `cands` only."""
    if not cands:
        return []
    windows = _windows(doc, cands)
    subdocs = [doc[a:b].as_doc() for a, b in windows]
    for _name, proc in nlp.pipeline:
        subdocs = list(proc.pipe(subdocs, batch_size=256))
    out = []
    for (a, b), sub in zip(windows, subdocs, strict=True):
        for ent in sub.ents:
            # An entity cut by the window edge is unreliable; the window was sized to avoid this.
            out.append((ent.start + a, ent.end + a, ent.label_))
    return out


def _decide(doc, cands, unsure, ents, priors) -> list[_Found]:
    unsure_ids = {id(c) for c in unsure}
    found: list[_Found] = []
    covered: set[int] = set()
    for c in cands:
        if id(c) in unsure_ids:
            label = _judge(c, ents, priors[c.name])
            if label is None:
                continue
        else:
            label = "GAZ"
        found.append(_Found(c.start_char, c.end_char, c.name, c.base, c.kind, label))
        covered.update(range(c.start, c.end))
    # Places the model found that the gazetteer scan did not ("Kelleyland"): keep, maybe unresolved.
    for s, e, lab in ents:
        if lab in NER_LABELS and not covered.intersection(range(s, e)):
            s = s + 1 if doc[s].lower_ == "the" and e - s > 1 else s
            span = doc[s:e]
            found.append(_Found(span.start_char, span.end_char, span.text, span.text, "name", lab))
            covered.update(range(s, e))
    found.sort(key=lambda f: f.start)
    return found


def _judge(c: Candidate, ents, prior) -> str | None:
    """The NER verdict on an uncertain name: a label to keep it, None to drop it."""
    over = [(s, e, lab) for s, e, lab in ents if s < c.end and c.start < e]
    if over:
        s, e, lab = max(over, key=lambda x: min(x[1], c.end) - max(x[0], c.start))
        if lab in NER_LABELS:
            return lab
        # Metonymy: "Kyiv said" is tagged ORG; an ORG that is exactly a big place name is the place.
        if lab == "ORG" and (s, e) == (c.start, c.end) and prior and (
            prior.feature in STRONG_FEATURES or prior.population >= STRONG_POPULATION
        ):
            return "GPE"
        return None
    if prior is None or c.sentence_initial:
        return None
    return "GAZ" if c.run == (c.start, c.end) and (
        prior.feature in STRONG_FEATURES or prior.population >= 10_000
    ) else None
