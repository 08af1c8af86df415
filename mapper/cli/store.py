"""`incident-map ingest | build | export`: the store, the map and the files users hand on."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

from mapper.errors import ArticleError, IncidentMapError, StoreError, StoreUnavailableError
from mapper.filters import Filters

FILTER_OPTIONS = ("since", "until", "type", "actor", "country", "min_fatalities", "q", "bbox", "limit")


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("ingest", help="extract incidents from articles and store them (idempotent)")
    p.add_argument("files", nargs="+", metavar="FILE|DIR",
                   help="article files or directories (.txt .html .json .jsonl) or -, or a dataset directory "
                        "written by `extract --engine dask` (its incidents are stored, not extracted again)")
    _db(p)
    p.add_argument("--published", metavar="YYYY-MM-DD", help="publication date for articles that carry none")
    p.add_argument("--workers", type=int, default=2, help="extraction processes (default 2)")
    p.add_argument("--time-budget", type=float, default=None, metavar="SECONDS",
                   help="longest extraction of one article; past it the article is rejected and the batch "
                        "goes on (default 60; 0: no limit)")
    p.add_argument("--json", action="store_true", help="also print the summary as JSON on stdout")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=run_ingest)

    p = subparsers.add_parser("build", help="write a standalone HTML map of stored incidents")
    _db(p)
    p.add_argument("-o", "--output", default="map.html", help="HTML file to write (default map.html)")
    p.add_argument("--online-tiles", action="store_true",
                   help="add OpenStreetMap tiles as an optional layer (needs internet when viewed)")
    _filters(p)
    p.set_defaults(func=run_build)

    p = subparsers.add_parser("export", help="write stored incidents as .geojson, .csv or .gpkg")
    _db(p)
    p.add_argument("-o", "--output", required=True, help="file to write; the suffix picks the format")
    _filters(p)
    p.set_defaults(func=run_export)


def _db(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", metavar="URL", help="database URL (default: $INCIDENT_MAP_DB, else incidents.sqlite in the "
                   "data directory: the store `serve` and `./dev demo` use)")


def _filters(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("filters (as in the web API)")
    g.add_argument("--since", metavar="YYYY-MM-DD")
    g.add_argument("--until", metavar="YYYY-MM-DD")
    g.add_argument("--type", metavar="TYPE", help="ACLED event type, sub-event type or map family (strikes, shot_down, ...)")
    g.add_argument("--actor", help="actor name contains")
    g.add_argument("--country", metavar="CC", help="ISO 3166-1 alpha-2 code")
    g.add_argument("--min-fatalities", dest="min_fatalities", metavar="N")
    g.add_argument("-q", "--query", dest="q", metavar="TEXT", help="text search in quote, place, actors, source")
    g.add_argument("--bbox", metavar="MINLON,MINLAT,MAXLON,MAXLAT")
    g.add_argument("--limit", metavar="N")


def filters_from_args(args: argparse.Namespace) -> Filters:
    return Filters.from_params({k: getattr(args, k, None) for k in FILTER_OPTIONS})


def _published(value: str | None) -> date | None:
    from mapper.articles import check_published

    if value is None:
        return None
    try:
        return check_published(date.fromisoformat(value))
    except ValueError as err:
        raise IncidentMapError(f"--published: expected YYYY-MM-DD, got {value!r}") from err
    except ArticleError as err:
        raise IncidentMapError(f"--published: {err}") from err


def run_ingest(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from mapper.articles import read_articles
    from mapper.pipeline import DEFAULT_TIME_BUDGET, extract_many
    from mapper.storage.store import Store

    summary: dict[str, Any] = {"articles_read": 0, "already_stored": 0, "ingested": 0,
                               "incidents_new": 0, "incidents_merged": 0, "rejected": [], "stopped": None}
    published = _published(args.published)
    budget = DEFAULT_TIME_BUDGET if args.time_budget is None else (args.time_budget or None)
    store = Store.open(args.db)
    if store.read_only:
        store.close()
        raise StoreUnavailableError(f"the store at {store.url} is read-only: nothing can be ingested")
    store_failed = False
    bar = tqdm(desc="ingest", unit=" articles", file=sys.stderr, disable=True if args.quiet else None,
               dynamic_ncols=True)

    def fresh() -> Iterator[Any]:
        # Known articles (same content hash) skip extraction, so a re-run costs only reading.
        for item in read_articles(args.files, published=published):
            if isinstance(item, ArticleError):
                summary["rejected"].append({"file": item.source, "reason": str(item)})
                continue
            summary["articles_read"] += 1
            if store.has_article(item.id):
                summary["already_stored"] += 1
                bar.update()
                continue
            yield item

    datasets = [Path(f) for f in args.files if is_dataset(Path(f))]
    args.files = [f for f in args.files if not is_dataset(Path(f))]

    def extracted() -> Iterator[Any]:
        # Incidents a Dask run extracted already (`extract --engine dask -o DIR`): read, not extracted again.
        yield from _from_datasets(datasets, summary, store, bar)
        if args.files:
            yield from extract_many(fresh(), workers=args.workers, errors="yield", time_budget=budget)

    try:
        for article, incidents in extracted():
            if isinstance(incidents, IncidentMapError):  # extraction failed for this article only
                summary["rejected"].append({"file": article.origin, "reason": str(incidents)})
                continue
            try:
                result = store.ingest(article, incidents)  # one transaction per article
            except StoreUnavailableError as err:
                # The store refuses every write (disk full, read-only, connection lost): extracting
                # the rest would only reject it all. Stop; a re-run resumes where this one ended.
                summary["rejected"].append({"file": article.origin, "reason": f"not stored: {err}"})
                summary["stopped"] = str(err)
                store_failed = True
                break
            except StoreError as err:  # rolled back: this article is not stored, the batch goes on
                summary["rejected"].append({"file": article.origin, "reason": f"not stored: {err}"})
                store_failed = True
                continue
            summary["ingested"] += 0 if result.skipped else 1
            summary["already_stored"] += 1 if result.skipped else 0
            summary["incidents_new"] += result.new
            summary["incidents_merged"] += result.merged
            bar.update()
    except KeyboardInterrupt:
        bar.close()
        _print_summary(summary, args, interrupted=True)
        raise
    finally:
        bar.close()
        store.close()
    _print_summary(summary, args)
    return 1 if store_failed or (summary["rejected"] and not summary["articles_read"]) else 0


def is_dataset(path: Path) -> bool:
    """A directory `extract --engine dask` wrote (GeoParquet partitions)."""
    from mapper.scale.tables import is_dataset as check

    return path.is_dir() and check(path)


def _from_datasets(datasets: list[Path], summary: dict[str, Any], store: Any, bar: Any) -> Iterator[Any]:
    """(article, incidents) of every written partition of `datasets`, one partition in memory at a
    time; articles already stored are skipped, and the dataset's failed articles are reported."""
    try:
        from mapper.scale import tables
    except ImportError as err:
        raise IncidentMapError(f"reading a GeoParquet dataset needs pyarrow: pip install 'incident-map[dask]' ({err})") from err
    for directory in datasets:
        for name in tables.partitions(directory):
            for error in tables.read_errors(directory, name):
                summary["rejected"].append({"file": error["origin"], "reason": error["reason"]})
            for article, incidents in tables.read_partition(directory, name):
                summary["articles_read"] += 1
                if store.has_article(article.id):
                    summary["already_stored"] += 1
                    bar.update()
                    continue
                yield article, incidents


def _print_summary(summary: dict[str, Any], args: argparse.Namespace, *, interrupted: bool = False) -> None:
    lines = [
        ("interrupted — every stored article is complete; " if interrupted else "")
        + f"{summary['articles_read']} articles read: {summary['ingested']} ingested, "
        f"{summary['already_stored']} already stored",
        f"incidents: {summary['incidents_new']} new, {summary['incidents_merged']} merged into stored ones",
        f"files rejected: {len(summary['rejected'])}",
    ]
    lines += [f"  {r['reason']}" for r in summary["rejected"]]
    if summary.get("stopped"):
        lines.append(f"stopped early: {summary['stopped']}; fix that and run the same command again "
                     "to store the rest (stored articles are skipped)")
    print("\n".join(lines), file=sys.stderr)
    if args.json:
        import json

        print(json.dumps(summary, ensure_ascii=False))


def open_for_reading(url: str | None) -> Any:
    """The store `build` and `export` read: `--db`, else the one `ingest`, `serve` and the demo
    use (`default_url`). A SQLite file that does not exist is an error, not a new empty store."""
    import sqlalchemy as sa

    from mapper.storage.store import Store, default_url

    url = url or default_url()
    try:
        parsed = sa.engine.make_url(url)
    except sa.exc.ArgumentError as err:
        raise StoreError(f"not a database URL: {url!r}") from err
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:") \
            and not Path(parsed.database).expanduser().exists():
        raise StoreError(f"no incident store at {parsed.database}: ingest articles first "
                         "(incident-map ingest FILE...) or name the database with --db")
    return Store.open(url)


def run_build(args: argparse.Namespace) -> int:
    import gazetteer

    from mapper.maps.build import build_map, save_html

    filters = filters_from_args(args)
    with open_for_reading(args.db) as store:
        print(f"incident-map build: reading {store.url}", file=sys.stderr)
        incidents = store.query(filters)
    m = build_map(incidents, gazetteer=gazetteer.load(), online_tiles=args.online_tiles)
    out = save_html(m, args.output)
    print(f"wrote {out}: {len(incidents)} incidents, {out.stat().st_size / 1e6:.1f} MB", file=sys.stderr)
    return 0


def run_export(args: argparse.Namespace) -> int:
    from mapper.maps.export import export

    filters = filters_from_args(args)
    with open_for_reading(args.db) as store:
        print(f"incident-map export: reading {store.url}", file=sys.stderr)
        incidents = store.query(filters)
    out = export(incidents, Path(args.output))
    print(f"wrote {out}: {len(incidents)} incidents", file=sys.stderr)
    return 0
