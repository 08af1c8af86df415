"""`incident-map extract`: articles in, a GeoJSON FeatureCollection of incidents out."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date

from mapper.errors import ArticleError, IncidentMapError
from mapper.records import Article, feature_collection


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("extract", help="print the incidents in articles as GeoJSON")
    p.add_argument("files", nargs="+", metavar="FILE", help="article files (.txt .html .json .jsonl), directories, or -")
    p.add_argument("--published", metavar="YYYY-MM-DD", type=_iso_date,
                   help="publication date when the article has none")
    p.add_argument("--explain", action="store_true",
                   help="add each source's trace: the sentence, trigger, event-type scores and the rule "
                        "behind each count, date and place")
    p.add_argument("--workers", type=int, default=None,
                   help="processes to use (default: 2 for 50 or more articles, else 1; with --engine dask and "
                        "no --scheduler: local Dask workers, default one per core)")
    g = p.add_argument_group("past one machine (docs/scale.md)")
    g.add_argument("--engine", choices=("local", "dask"), default="local",
                   help="local (default): GeoJSON on stdout; dask: JSONL/Parquet partitions in, partitioned "
                        "GeoParquet in -o DIR out, resumable (needs incident-map[dask])")
    g.add_argument("--scheduler", metavar="tcp://HOST:8786",
                   help="a running Dask scheduler (default: a LocalCluster on this machine)")
    g.add_argument("-o", "--output", metavar="DIR", help="dataset directory the dask engine writes (and resumes)")
    g.add_argument("--partition-size", type=int, metavar="N",
                   help="records per partition (default: one partition per input file)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Print one FeatureCollection of every file's incidents; name each bad file on stderr.

    The good files are still processed; the exit status is 1 if any input failed.
    """
    if args.engine == "dask":
        return run_dask(args)
    if args.scheduler or args.output or args.partition_size:
        raise IncidentMapError("--scheduler, -o and --partition-size go with --engine dask")
    from mapper.articles import read_articles
    from mapper.storage.merge import merge_incidents
    from mapper.pipeline import extract_many

    failed = 0
    articles: list[Article] = []
    for item in read_articles(args.files, published=args.published):
        if isinstance(item, ArticleError):
            failed += 1
            print(f"incident-map extract: {item}", file=sys.stderr)
        else:
            if item.published is None:
                print(f"incident-map extract: {item.origin}: no publication date; events dated only relatively "
                      "(\"on Monday\") are skipped — pass --published YYYY-MM-DD", file=sys.stderr)
            articles.append(item)
    incidents = []
    workers = args.workers if args.workers is not None else (2 if len(articles) >= 50 else 1)
    for _article, found in extract_many(articles, workers=workers):
        incidents.extend(found)
    json.dump(feature_collection(merge_incidents(incidents), explain=args.explain), sys.stdout, ensure_ascii=False,
              indent=1)
    sys.stdout.write("\n")
    return 1 if failed else 0


def run_dask(args: argparse.Namespace) -> int:
    """Extract on a Dask cluster into the dataset `-o DIR`; print the run's summary as JSON.

    The exit status is 1 when a partition could not be written or an article failed (the
    errors table says which and why); running the same command again redoes only the partitions missing.
    """
    if not args.output:
        raise IncidentMapError("--engine dask writes a dataset directory: name it with -o DIR")
    if args.explain:
        raise IncidentMapError("--explain prints GeoJSON; with --engine dask each source's trace is in the "
                               "dataset's `sources` column already")
    try:
        from mapper.scale.cluster import extract_dataset
    except ImportError as err:
        raise IncidentMapError(f"--engine dask needs Dask and pyarrow: pip install 'incident-map[dask]' ({err})") from err

    def report(done: dict, _client: object) -> None:
        print(f"incident-map extract: {done['partition']}: {done['articles']} articles, {done['incidents']} incidents, "
              f"{done['errors']} failed", file=sys.stderr)

    summary = extract_dataset(args.files, args.output, scheduler=args.scheduler, workers=args.workers,
                              partition_size=args.partition_size, published=args.published, progress=report)
    for failed in summary.failed:
        print(f"incident-map extract: partition {failed['partition']} not written: {failed['reason']}", file=sys.stderr)
    json.dump({"output": str(args.output), **summary.to_dict()}, sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")
    return 1 if summary.failed or summary.errors else 0


def _iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as err:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from err
