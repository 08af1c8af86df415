"""Is this name a place here? A logistic regression over named features of one candidate.

The gazetteer scan proposes every capitalised run it knows; this model keeps or drops each
one. spaCy's small model finds almost every name but mislabels unfamiliar ones ("Kherson" as
a PERSON), so its label is one feature among many rather than the decision:

- what the gazetteer says with no context: feature class, population, how the name matched,
  how many senses it has;
- how the word is used in English: its Zipf frequency (wordfreq), how common it is as a first
  name or a surname (US census lists), whether the article also writes it in lower case;
- the NER reading over the span (exact, part of a longer entity, none) and the hand rules'
  own verdict (dateline, "the village of X", "X, Region", full person names in the article);
- the words around it ("in", "near", "shelled", "village", "said", a title) and its shape
  (capitals, sentence-initial, a longer capitalised run);
- other mentions of the same name in the article.

    python -m mapper.train places [--test] [--threshold 0.5]

trains on the train split of LGL, TR-News, the ACLED Somalia notes and our own geoparse test
articles (bench/splits.py), prints precision/recall on dev beside the hand rules, and writes
``places.json.gz``. The model card is docs/models/places.md.
"""

from __future__ import annotations

import math

from mapper.nlp import wordstats
from mapper.nlp.models import LinearModel, optional_model

NAME = "places"
# The probability above which a candidate is a place. Overturning the hand rules' verdict needs
# more evidence than confirming it: a name they kept is dropped only below DROP_BELOW (tuned
# on dev: LGL F1 0.898 -> 0.903, TR-News 0.947 -> 0.952, ACLED 0.951 -> 0.949).
THRESHOLD = 0.5
DROP_BELOW = 0.3


def keep(p: float, *, rules_keep: bool, sure: bool = False) -> bool:
    """The decision for a candidate of probability `p` whose rules said `rules_keep`; a name the
    dictionary alone is sure of (a country, region or big city standing alone) is kept."""
    return (sure and rules_keep) or p >= (DROP_BELOW if rules_keep else THRESHOLD)
# Words around a name, pooled into classes so that each class's weight is learned from many
# examples ("Lone Oak Road" and "Main Street" teach the same lesson).
_BEFORE = {
    "prep_at": "in near at outside across into around towards toward inside over through via between within",
    "prep_from": "from to of",
    "attack_verb": "hit struck shelled attacked bombed targeted raided stormed captured seized pounded",
    "move_verb": "visited entered reached left fled",
    "settlement": "village town city settlement district province region outskirts suburb area county state capital",
    "title": "mr mr. mrs mrs. ms ms. dr dr. president minister governor mayor senator sen. rep. gen. general "
             "commander chief spokesman spokeswoman",
    "the": "the",
    "link": "said by with and or",
    "punct": ", ( - – — : ; \"",
}
_AFTER = {
    "speech": "said says told say reported claimed",
    "possessive": "'s ’s",
    "comma": ",",
    "end": ". ! ?",
    "paren": "( )",
    "settlement": "village town city settlement area neighbourhood neighborhood suburb camp",
    "admin": "district province region county governorate township oblast state municipality raion lga",
    "institution": "police mayor governor residents council officials forces army government military university "
                   "college hospital court department ministry authorities school church club company",
    "street": "street st st. road rd rd. avenue ave ave. boulevard blvd lane drive highway hwy way",
    "building": "bridge airport station square park hall center centre building market mall",
    "conj": "and or",
    "verb": "is was has had will would",
    "prep": "in on where near at",
    "dash": "- – —",
}
CUE_BEFORE = {w: cls for cls, ws in _BEFORE.items() for w in ws.split()}
CUE_AFTER = {w: cls for cls, ws in _AFTER.items() for w in ws.split()}


def model() -> LinearModel | None:
    """The committed place model, or None before it has been trained (the rules decide then)."""
    return optional_model(NAME)


def _cue(tok, classes: dict[str, str]) -> str:
    """The class of a neighbouring token: a cue class, "Cap" (another capitalised word) or "other"."""
    cls = classes.get(tok.lower_)
    return cls if cls else "Cap" if tok.text[:1].isupper() else "other"


def _bucket(x: float, edges: tuple[float, ...]) -> int:
    return sum(1 for e in edges if x >= e)


def story_countries(doc, proposals, priors, gazetteer) -> frozenset[str]:
    """The countries a document is about before any judgement: those of the names the
    dictionary alone is sure of, and of its nationality words ("Turkish", "Syrian")."""
    from mapper.nlp.toponyms import demonym_countries

    out = set(named_countries(proposals, priors))
    out.update(demonym_countries(doc, gazetteer.demonym))
    out.discard(None)
    return frozenset(out)


def named_countries(proposals, priors) -> frozenset[str]:
    """The countries of the names the dictionary alone is sure of (no nationality words)."""
    return frozenset(priors[p.cand.name].top.country for p in proposals
                     if p.verdict == "sure" and p.rule and priors.get(p.cand.name) is not None)


def features(doc, prop, ents, priors, words: set[str], gazetteer, countries: frozenset[str] = frozenset()
             ) -> dict[str, float]:
    """Named features of one candidate (a `geoparse.Proposal`) in its document (`countries`:
    `story_countries` of the document)."""
    from mapper.nlp.resolve import senses

    c = prop.cand
    f: dict[str, float] = {f"v={prop.verdict}": 1.0, f"kind={c.kind}": 1.0}
    if prop.rule:
        f["rules_keep"] = 1.0
    over = [(s, e, lab) for s, e, lab in ents if s < c.end and c.start < e]
    if over:
        s, e, lab = max(over, key=lambda x: min(x[1], c.end) - max(x[0], c.start))
        shape = "exact" if (s, e) == (c.start, c.end) else "longer" if e - s > c.end - c.start else "part"
        f[f"ner={lab}"] = 1.0
        f[f"ner={lab}:{shape}"] = 1.0
    else:
        f["ner=none" if prop.verdict != "sure" else "ner=not_run"] = 1.0
    pr = priors.get(c.name)
    if pr is None:
        f["prior=none"] = 1.0
    else:
        match = (pr.top.raw or {}).get("match") or "other"
        f[f"feat={pr.feature}"] = 1.0
        f[f"match={match}"] = 1.0
        f[f"pop={_bucket(math.log10(pr.population + 1), (2, 3, 4, 5, 6))}"] = 1.0
        f["prior_score"] = pr.score
        found = senses(gazetteer, c.name) or senses(gazetteer, c.base)
        f[f"senses={_bucket(len(found), (2, 4, 10))}"] = 1.0
        if countries:
            # A sense in the country the story is about ("Ras al-Ain" in a Syrian story), or none.
            f["sense_in_story_country" if any(p.country in countries for p in found[:5]) else "no_sense_in_story_country"] = 1.0
    base = c.base
    toks = base.split()
    f[f"zipf={_bucket(wordstats.zipf(base), (1, 2, 3, 4, 5))}"] = 1.0
    first, last = wordstats.first_name_share(toks[0]), wordstats.surname_share(toks[-1])
    if first:
        f["first_name" if first >= 0.01 else "first_name_rare"] = 1.0
    if last:
        f["surname" if last >= 0.01 else "surname_rare"] = 1.0
    # Neither a first name nor a surname anyone in the census bears: a PERSON reading of it is
    # the model guessing on an unfamiliar word ("Kherson").
    f["census_name=yes" if first or last else "census_name=no"] = 1.0
    if base.lower() in words or toks[0].lower() in words:
        f["lower_in_doc"] = 1.0
    f[f"ntok={min(3, c.end - c.start)}"] = 1.0
    if base.isupper() and len(base) > 1:
        f["all_caps"] = 1.0
    if c.sentence_initial:
        f["sentence_initial"] = 1.0
    if c.run != (c.start, c.end):
        f["in_longer_run"] = 1.0
    prev = doc[c.start - 1] if c.start else None
    if prev is not None:
        f[f"before={_cue(prev, CUE_BEFORE)}"] = 1.0
        if prev.lower_ == "the" and c.start >= 2:
            f[f"before2={_cue(doc[c.start - 2], CUE_BEFORE)}"] = 1.0
    else:
        f["before=start"] = 1.0
    nxt = doc[c.end] if c.end < len(doc) else None
    f[f"after={_cue(nxt, CUE_AFTER) if nxt is not None else 'end'}"] = 1.0
    if prop.named_person:
        f["named_person"] = 1.0
    if prop.written:
        f["written_as_place"] = 1.0
    if prop.here:
        f["written_here"] = 1.0
    if prop.place_votes:
        f["place_votes"] = 1.0
    if prop.person_votes:
        f["person_votes"] = 1.0
    # The rules' reading changes what the rest means: a PERSON label on a name the dictionary
    # alone was sure of is not the same evidence as on one it doubted.
    v = f"v={prop.verdict}"
    for name in [k for k in f if k.startswith(CROSSED)]:
        f[f"{v}&{name}"] = 1.0
    return f


CROSSED = ("ner=", "feat=", "zipf=", "before=", "after=", "pop=", "census_name=", "sense_in_story_country")


# --- training ------------------------------------------------------------------------------


def _labelled(split) -> list[tuple[dict[str, float], int, str]]:
    """(features, label, source) for every candidate of the documents of `split` with a label."""
    import json

    import gazetteer as gz
    from gazetteer.distance import distance_km
    from mapper.nlp.document import load_nlp
    from mapper.nlp.geoparse import recognise
    from mapper.nlp.resolve import senses
    from mapper.train import REPO, splits

    sp = splits()
    gaz, nlp = gz.load(), load_nlp()
    rows: list[tuple[dict[str, float], int, str]] = []

    def collect(text: str, label_of, source: str) -> None:
        def judge(doc, proposals, ents, priors, words, gazetteer):
            countries = story_countries(doc, proposals, priors, gazetteer)
            for prop in proposals:
                y = label_of(prop)
                if y is not None:
                    rows.append((features(doc, prop, ents, priors, words, gazetteer, countries), y, source))
            return [p.rule for p in proposals]

        recognise(text, gaz, nlp, judge=judge)

    def overlaps(prop, spans) -> bool:
        a, b = prop.found.start, prop.found.end
        return any(a < e and s < b for s, e in spans)

    for source, text, toponyms in sp.geoparsing_articles(split):
        gold = [(start, end) for start, end, _top in toponyms]
        collect(text, lambda prop, g=gold: int(overlaps(prop, g)), source)
    for row in sp.acled_rows(split):
        text, loc = row["notes"], row["location"]
        lat, lon = float(row["latitude"]), float(row["longitude"])
        gold, i = [], text.lower().find(loc.lower())
        while i >= 0:
            gold.append((i, i + len(loc)))
            i = text.lower().find(loc.lower(), i + 1)

        def acled_label(prop, gold=gold, lat=lat, lon=lon):
            if overlaps(prop, gold):
                return 1
            near = [distance_km(lat, lon, s.lat, s.lon) for s in senses(gaz, prop.cand.name)]
            if near and min(near) <= 150:
                return 1
            return 0 if not near or min(near) > 1000 else None

        collect(text, acled_label, "acled")
    geo = REPO / "tests" / "data" / "geoparse"
    expected = json.loads((geo / "expected.json").read_text(encoding="utf-8"))
    for name, exp in expected.items():
        if name.startswith("_") or sp.split_of("articles", f"geoparse/{name}") not in split:
            continue
        text = (geo / name).read_text(encoding="utf-8")
        spans = {"pos": [], "neg": []}
        for key, items in (("pos", exp.get("places", [])), ("neg", exp.get("absent", []))):
            for item in items:
                word = item["text"] if isinstance(item, dict) else item
                i = text.find(word)
                while i >= 0:
                    spans[key].append((i, i + len(word)))
                    i = text.find(word, i + 1)
        collect(text, lambda prop, s=spans: 1 if overlaps(prop, s["pos"]) else 0 if overlaps(prop, s["neg"]) else None,
                "articles")
    return rows


def main(argv: list[str] | None = None) -> int:
    import argparse
    from collections import Counter

    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    ap = argparse.ArgumentParser(prog="python -m mapper.train places", description="train the place model")
    ap.add_argument("--test", action="store_true", help="also score the test split (once, at the end of a piece of work)")
    ap.add_argument("--C", type=float, default=0.3, help="inverse L2 regularisation")
    ap.add_argument("--acled-weight", type=float, default=0.2,
                    help="weight of an ACLED candidate (weak labels, many of them) against LGL/TR-News ones")
    ap.add_argument("--dry-run", action="store_true", help="score, but do not write the weights")
    args = ap.parse_args(argv)

    train = _labelled(("train",))
    vec = DictVectorizer()
    x = vec.fit_transform([f for f, _y, _s in train])
    y = [yy for _f, yy, _s in train]
    clf = LogisticRegression(C=args.C, max_iter=2000, class_weight=None)
    clf.fit(x, y, sample_weight=[args.acled_weight if s == "acled" else 1.0 for _f, _y, s in train])
    weights = {str(n): float(w) for n, w in zip(vec.get_feature_names_out(), clf.coef_[0])}
    m = LinearModel(name=NAME, classes=("other", "place"), weights=(weights,), intercepts=(float(clf.intercept_[0]),),
                    meta={"threshold": THRESHOLD, "C": args.C, "acled_weight": args.acled_weight, "train_rows": len(train),
                          "train_sources": dict(Counter(s for _f, _y, s in train))})
    print(f"trained on {len(train)} candidates {dict(Counter(s for *_x, s in train))}, {len(weights)} features")
    for split in ("dev", "test") if args.test else ("dev",):
        rows = _labelled((split,))
        print(f"\n{split}: candidates, P/R/F1 of 'place' (model at {THRESHOLD} vs hand rules)")
        for source in sorted({s for *_x, s in rows}):
            sub = [(f, yy) for f, yy, s in rows if s == source]
            for label, pred in (("model", [keep(m.scores(f)["place"], rules_keep=bool(f.get("rules_keep")),
                                                 sure=bool(f.get("v=sure"))) for f, _ in sub]),
                                ("rules", [bool(f.get("rules_keep")) for f, _ in sub])):
                tp = sum(1 for p, (_f, yy) in zip(pred, sub) if p and yy)
                fp = sum(1 for p, (_f, yy) in zip(pred, sub) if p and not yy)
                fn = sum(1 for p, (_f, yy) in zip(pred, sub) if not p and yy)
                prec, rec = tp / max(1, tp + fp), tp / max(1, tp + fn)
                print(f"  {source:<9}{label:<7} n={len(sub):<6} P {prec:.3f}  R {rec:.3f}  "
                      f"F1 {2 * prec * rec / max(1e-9, prec + rec):.3f}")
    if not args.dry_run:
        print(f"\nwrote {m.save()}")
    return 0
