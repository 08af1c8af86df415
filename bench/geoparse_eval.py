"""Score the geoparser on LGL, TR-News and ACLED's Somalia notes, beside a spaCy baseline and
other versions of the code.

    python bench/geoparse_eval.py [--split dev|test|train|all] [--corpus lgl|tr-news|acled ...]
                                  [--limit N] [--compare DIR ...]

Each corpus is scored on one split of bench/splits.py (dev by default; test once, at the end
of a piece of work). ACLED notes have one gold toponym each, the event's `location` where the
note writes it, placed within 25 km of ACLED's point (not 161 km); their other place names are
not annotated, so precision is not defined there. `--compare DIR` runs the geoparser of
another checkout (bench/versions.py) on the same texts and prints it in the same table.

Prints, per corpus and per system: recognition precision/recall/F1 (a predicted span counts
when it overlaps a gold toponym), accuracy within 161 km on recognised toponyms with mean and
median error, the end-to-end share of all gold toponyms with coordinates found AND placed
within 161 km, and documents per second (2 worker processes). The baseline is "spaCy NER
(GPE, LOC, FAC) + the most populous gazetteer candidate"; bare spaCy NER's own rate on the
same texts is printed as the speed reference. The corpora are read in place, never copied.
"""

from __future__ import annotations

import argparse
import math
import multiprocessing as mp
import statistics
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

# Run as a script, bench/ is first on sys.path and bench/gazetteer.py would shadow the package.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

from gazetteer.areas import AreaTest  # noqa: E402
from gazetteer.distance import distance_km  # noqa: E402

sys.path.append(str(Path(__file__).resolve().parent))
from splits import SPLITS, acled_rows, split_of  # noqa: E402
from versions import run_version  # noqa: E402

DEFAULT_DIR = Path(__file__).resolve().parents[2] / "shared" / "benchmarks" / "geoparsing"
CORPORA = {"lgl": "lgl.xml", "tr-news": "TR-News.xml", "acled": None}
KM = 161.0
KM_BY_CORPUS = {"acled": 25.0}
WORKERS = 2
NER_LABELS = {"GPE", "LOC", "FAC"}


@dataclass(frozen=True, slots=True)
class Gold:
    start: int
    end: int
    phrase: str
    lat: float | None
    lon: float | None


@dataclass(slots=True)
class Document:
    docid: str
    text: str
    gold: list[Gold] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Pred:
    start: int
    end: int
    lat: float | None
    lon: float | None
    area: str | None = None  # "CC" or "CC.A1" when the place is a country / admin-1 region


def pred_of_dict(m: dict) -> Pred:
    """A mention as bench/versions.py returns it."""
    p = m.get("place")
    if p is None:
        return Pred(m["start"], m["end"], None, None)
    area = p["country"] if p["feature"] == "country" else p["admin1_code"] if p["feature"] == "admin1" else None
    return Pred(m["start"], m["end"], p["lat"], p["lon"], area)


def pred_of(start: int, end: int, place) -> Pred:
    if place is None:
        return Pred(start, end, None, None)
    area = place.country if place.feature == "country" else (
        place.admin1_code if place.feature == "admin1" else None)
    return Pred(start, end, place.lat, place.lon, area)


# --- corpus ------------------------------------------------------------------------------


def read_corpus(path: Path, *, patches: dict | None = None) -> list[Document]:
    """Articles and gold toponyms; TR-News offsets that are off by a few characters are realigned."""
    docs = []
    for art in ET.parse(path).getroot().iter("article"):
        text = art.findtext("text") or ""
        doc = Document(docid=art.get("docid", ""), text=text)
        for top in art.iter("toponym"):
            phrase = top.findtext("phrase") or ""
            start = _align(text, phrase, int(top.findtext("start")))
            lat = lon = None
            tag = top.find("gaztag")
            if tag is not None and tag.findtext("lat") not in (None, ""):
                lat, lon = float(tag.findtext("lat")), float(tag.findtext("lon"))
                if patches:
                    lat, lon = patches.get((phrase, round(lat, 2), round(lon, 2)), (lat, lon))
            doc.gold.append(Gold(start, start + len(phrase), phrase, lat, lon))
        docs.append(doc)
    return docs


def read_acled(split: str | tuple[str, ...]) -> list[Document]:
    """ACLED notes as documents with one gold toponym: the first place in the note that writes
    the event's `location` ("Afgooye" in "near Afgooye town (Afgooye, Lower Shabelle)")."""
    docs = []
    for row in acled_rows(split):
        text, loc = row["notes"], row["location"]
        i = text.lower().find(loc.lower())
        if i < 0:
            continue  # the note does not write the location as coded ("Mogadishu - Hodan" as "Hodan")
        doc = Document(docid=row["id"], text=text)
        doc.gold.append(Gold(i, i + len(loc), loc, float(row["latitude"]), float(row["longitude"])))
        docs.append(doc)
    return docs


def _align(text: str, phrase: str, start: int) -> int:
    """The occurrence of `phrase` nearest to the annotated offset (some corpora drift)."""
    if text[start:start + len(phrase)] == phrase or not phrase:
        return start
    hits, i = [], text.find(phrase)
    while i >= 0:
        hits.append(i)
        i = text.find(phrase, i + 1)
    return min(hits, key=lambda h: abs(h - start)) if hits else start


def read_patches(path: Path) -> dict:
    """lgl_patches.tsv: toponym, corpus coordinates, unified coordinates -> lookup table."""
    table = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = [p.strip() for p in line.split("\t")]
        if len(parts) != 3:
            continue
        try:
            old = [float(x) for x in parts[1].split(",")]
            new = [float(x) for x in parts[2].split(",")]
        except ValueError:
            continue
        table[(parts[0], round(old[0], 2), round(old[1], 2))] = (new[0], new[1])
    return table


# --- scoring -----------------------------------------------------------------------------


@dataclass(slots=True)
class Score:
    n_pred: int = 0
    pred_hit: int = 0
    n_gold: int = 0
    gold_hit: int = 0
    n_gold_coord: int = 0
    errors: list[float] = field(default_factory=list)  # per recognised gold toponym with coordinates
    area_ok: int = 0  # of those, placed within 161 km OR in a predicted region/country containing the gold point
    inside: Callable[[str, float, float], bool] | None = None
    is_demonym: Callable[[str], object] | None = None  # gold "Russian" is not a mention by our spec
    n_place_gold: int = 0  # gold toponyms with coordinates that are not demonyms
    place_ok: int = 0  # of those, found and within 161 km
    km: float = KM
    precision_defined: bool = True

    def add(self, gold: Sequence[Gold], preds: Sequence[Pred]) -> None:
        self.n_pred += len(preds)
        self.n_gold += len(gold)
        self.pred_hit += sum(1 for p in preds if any(_overlap(p, g) for g in gold))
        for g in gold:
            hits = [p for p in preds if _overlap(p, g)]
            if hits:
                self.gold_hit += 1
            if g.lat is None:
                continue
            self.n_gold_coord += 1
            if not (self.is_demonym and self.is_demonym(g.phrase)):
                self.n_place_gold += 1
            if hits:
                best = max(hits, key=lambda p: min(p.end, g.end) - max(p.start, g.start))
                err = math.inf if best.lat is None else distance_km(best.lat, best.lon, g.lat, g.lon)
                self.errors.append(err)
                if err <= self.km and not (self.is_demonym and self.is_demonym(g.phrase)):
                    self.place_ok += 1
                if err <= self.km or (best.area and self.inside and self.inside(best.area, g.lat, g.lon)):
                    self.area_ok += 1

    def row(self) -> dict[str, float]:
        p = self.pred_hit / self.n_pred if self.n_pred else 0.0
        r = self.gold_hit / self.n_gold if self.n_gold else 0.0
        ok = sum(1 for e in self.errors if e <= self.km)
        finite = [e for e in self.errors if math.isfinite(e)]
        return {
            "P": p if self.precision_defined else math.nan, "R": r,
            "F1": 2 * p * r / (p + r) if p + r and self.precision_defined else math.nan,
            "acc161": ok / len(self.errors) if self.errors else 0.0,
            "mean_km": statistics.fmean(finite) if finite else math.nan,
            "median_km": statistics.median(finite) if finite else math.nan,
            "e2e": ok / self.n_gold_coord if self.n_gold_coord else 0.0,
            "acc_area": self.area_ok / len(self.errors) if self.errors else 0.0,
            "e2e_area": self.area_ok / self.n_gold_coord if self.n_gold_coord else 0.0,
            "e2e_names": self.place_ok / self.n_place_gold if self.n_place_gold else 0.0,
            "demonym_share": 1 - self.n_place_gold / self.n_gold_coord if self.n_gold_coord else 0.0,
        }


def _overlap(p: Pred, g: Gold) -> bool:
    return p.start < g.end and g.start < p.end


# --- systems (run in worker processes forked after the heavy objects are loaded) ----------

_STATE: dict = {}


def _ours(text: str) -> list[Pred]:
    from mapper.nlp.geoparse import find_mentions

    return [pred_of(m.start, m.end, m.place) for m in find_mentions(text, _STATE["gazetteer"], nlp=_STATE["nlp"])]


def _most_populous(gaz, name: str):
    cands = gaz.candidates(name, limit=25)
    return max(cands, key=lambda c: c.population or 0) if cands else None


def baseline_preds(docs: Sequence[Document], gaz, nlp) -> list[list[Pred]]:
    """spaCy NER (GPE, LOC, FAC) over every word + the most populous gazetteer candidate."""
    out = []
    for sdoc in nlp.pipe((d.text for d in docs), n_process=WORKERS, batch_size=16):
        preds = []
        for ent in sdoc.ents:
            if ent.label_ in NER_LABELS:
                preds.append(pred_of(ent.start_char, ent.end_char, _most_populous(gaz, ent.text)))
        out.append(preds)
    return out


def bare_ner_rate(docs: Sequence[Document], nlp) -> float:
    """Documents/s of spaCy NER alone (the model's ner, which embeds its own vectors; nlp.pipe, 2
    processes): the speed reference."""
    t = time.perf_counter()
    for _ in nlp.pipe((d.text for d in docs), n_process=WORKERS, batch_size=16):
        pass
    return len(docs) / (time.perf_counter() - t)


def run_parallel(fn: Callable[[str], list[Pred]], texts: Sequence[str]) -> list[list[Pred]]:
    ctx = mp.get_context("fork")  # workers inherit the loaded gazetteer and pipeline
    with ctx.Pool(WORKERS) as pool:
        return pool.map(fn, texts, chunksize=4)


# --- report ------------------------------------------------------------------------------


def cpu_rates(docs: Sequence[Document], gaz, nlp) -> tuple[float, float]:
    """Documents per CPU-second in this process: bare spaCy NER and ours (robust on a busy machine)."""
    texts = [d.text for d in docs]
    t = time.process_time()
    for _ in nlp.pipe(texts, batch_size=16):
        pass
    ner = len(texts) / (time.process_time() - t)
    t = time.process_time()
    for text in texts:
        _ours(text)
    return ner, len(texts) / (time.process_time() - t)


def evaluate(name: str, docs: Sequence[Document], gaz, nlp, *, baseline: bool = True,
             compare: Sequence[Path] = ()) -> None:
    texts = [d.text for d in docs]
    km = KM_BY_CORPUS.get(name, KM)
    ner_rate = bare_ner_rate(docs, nlp)
    t = time.perf_counter()
    ours = run_parallel(_ours, texts)
    our_rate = len(docs) / (time.perf_counter() - t)
    inside = AreaTest(gaz)
    score = lambda preds: _score(docs, preds, inside, gaz.demonym, km=km, precision=name != "acled").row()  # noqa: E731
    rows = [("ours", score(ours), our_rate)]
    for tree in compare:
        t = time.perf_counter()
        out = run_version(tree, "mentions", [{"text": x} for x in texts])
        rate = len(docs) / (time.perf_counter() - t)
        preds = [[pred_of_dict(m) for m in o] if isinstance(o, list) else [] for o in out]
        rows.append((tree.name[:16], score(preds), rate))
    if baseline:
        t = time.perf_counter()
        base = baseline_preds(docs, gaz, nlp)
        rows.append(("spaCy+populous", score(base), len(docs) / (time.perf_counter() - t)))
    ner_cpu, ours_cpu = cpu_rates(docs, gaz, nlp)
    n_gold = sum(len(d.gold) for d in docs)
    print(f"\n{name}: {len(docs)} documents, {n_gold} gold toponyms, within {km:.0f} km "
          f"({sum(1 for d in docs for g in d.gold if g.lat is not None)} with coordinates)")
    print(f"  {'system':<16}{'P':>6}{'R':>6}{'F1':>6}{'acc@km':>8}{'mean km':>9}{'med km':>8}"
          f"{'e2e':>7}{'acc+area':>9}{'e2e+area':>9}{'docs/s':>8}{'vs NER':>8}")
    for label, r, rate in rows:
        print(f"  {label:<16}{r['P']:>6.3f}{r['R']:>6.3f}{r['F1']:>6.3f}{r['acc161']:>8.3f}"
              f"{r['mean_km']:>9.0f}{r['median_km']:>8.1f}{r['e2e']:>7.3f}{r['acc_area']:>9.3f}"
              f"{r['e2e_area']:>9.3f}{rate:>8.1f}{rate / ner_rate:>7.2f}x")
    print(f"  {'bare spaCy NER':<16}{'':>73}{ner_rate:>8.1f}{1.0:>7.2f}x")
    print(f"  docs/s are wall-clock with {WORKERS} worker processes (start-up included);"
          f" per CPU-second in one process: ours {ours_cpu:.1f}, bare NER {ner_cpu:.1f}"
          f" ({ours_cpu / ner_cpu:.2f}x)")
    print("  acc+area / e2e+area also count a predicted country or admin-1 region that contains the"
          " gold point (gold uses GeoNames' points for areas; ours are label points inside them)")
    print(f"  {rows[0][1]['demonym_share']:.1%} of the gold toponyms with coordinates are nationality words"
          f" (\"Russian\"), which our spec does not count as mentions; end-to-end on the others:"
          + "".join(f" {label} {r['e2e_names']:.3f}" for label, r, _ in rows))
    if baseline:
        print(f"  end-to-end ratio ours / baseline: {rows[0][1]['e2e'] / max(rows[-1][1]['e2e'], 1e-9):.2f}x")
    sys.stdout.flush()


def _score(docs: Iterable[Document], preds: Iterable[list[Pred]], inside=None, is_demonym=None, *,
           km: float = KM, precision: bool = True) -> Score:
    s = Score(inside=inside, is_demonym=is_demonym, km=km, precision_defined=precision)
    for d, p in zip(docs, preds, strict=True):
        s.add(d.gold, p)
    return s


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpora", type=Path, default=DEFAULT_DIR, help="directory with lgl.xml and TR-News.xml")
    ap.add_argument("--corpus", action="append", choices=sorted(CORPORA), help="default: both")
    ap.add_argument("--limit", type=int, default=None, help="first N documents of the split only")
    ap.add_argument("--split", default="dev", choices=(*SPLITS, "all"), help="bench/splits.py split (default dev)")
    ap.add_argument("--compare", type=Path, action="append", default=[], help="another checkout to score beside")
    ap.add_argument("--no-patches", action="store_true", help="ignore lgl_patches.tsv")
    ap.add_argument("--no-baseline", action="store_true")
    args = ap.parse_args(argv)

    import gazetteer
    from mapper.nlp.document import load_nlp

    gaz, nlp = gazetteer.load(), load_nlp()
    _STATE.update(gazetteer=gaz, nlp=nlp)
    patch_file = args.corpora / "lgl_patches.tsv"
    split = SPLITS if args.split == "all" else args.split
    print(f"split: {args.split} (bench/splits.py)")
    for key in args.corpus or ["lgl", "tr-news", "acled"]:
        if key == "acled":
            docs = read_acled(split)
        else:
            patches = read_patches(patch_file) if key == "lgl" and patch_file.exists() and not args.no_patches else None
            docs = [d for d in read_corpus(args.corpora / CORPORA[key], patches=patches)
                    if split_of(key, d.docid) in (split if isinstance(split, tuple) else (split,))]
        evaluate(key, docs[: args.limit], gaz, nlp, baseline=not args.no_baseline, compare=args.compare)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
