"""`extract --engine dask`: a LocalCluster gives the incidents `incident-map extract` gives, survives a
killed worker, records failed articles, resumes, and `ingest` stores the dataset.

The corpus is built like bench/extract.py's: each article joins two test articles (a different
pair and publication date each time), so no two are the same.
"""

from __future__ import annotations

import io
import json
import os
import signal
from contextlib import redirect_stdout
from pathlib import Path

import bench_scripts
import pytest

from mapper.cli import main
from mapper.records import Article, Incident
from mapper.scale import partitions, tables
from mapper.storage.merge import merge_incidents
from mapper.storage.store import Store

ARTICLES = Path(__file__).parent / "data" / "articles"
N_ARTICLES = 400
N_PARTITIONS = 4


def corpus(n: int) -> list[Article]:
    """bench/extract.py's corpus (loaded by path: bench/ is not a package)."""
    return bench_scripts.load("extract").corpus(n)


def record(article: Article) -> str:
    return json.dumps({"text": article.text, "published": article.published.isoformat(), "url": article.url,
                       "title": article.title, "source": article.source}, ensure_ascii=False)


def write_partitions(directory: Path, articles: list[Article], n: int, *, bad_line_in: int | None = None) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    size = -(-len(articles) // n)
    paths = []
    for k in range(n):
        path = directory / f"articles-{k}.jsonl"
        lines = [record(a) for a in articles[k * size:(k + 1) * size]]
        if k == bad_line_in:
            lines.insert(len(lines) // 2, '{"text": 12, "published": "2026-02-13"}')  # not an article
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def dataset_incidents(out: Path) -> list[Incident]:
    """Every incident of the dataset, in input order (partitions are named after their files)."""
    found: list[Incident] = []
    for name in sorted(tables.partitions(out), key=lambda n: n.split("-")[1]):
        for _article, incidents in tables.read_partition(out, name):
            found.extend(incidents)
    return found


def cli_json(argv: list[str]) -> tuple[int, dict]:
    buffer = io.StringIO()
    with redirect_stdout(buffer):
        status = main(argv)
    return status, json.loads(buffer.getvalue())


@pytest.fixture(scope="module")
def big_run(tmp_path_factory):
    """400 articles in 4 JSONL partitions (one bad record among them) on 2 local Dask workers,
    one of which is killed while it works; and `incident-map extract` on the same files."""
    from mapper.scale.cluster import extract_dataset

    root = tmp_path_factory.mktemp("dask")
    articles = corpus(N_ARTICLES)
    inputs = write_partitions(root / "in", articles, N_PARTITIONS, bad_line_in=2)
    out = root / "out"
    killed: list[tuple[str, int]] = []

    def kill_a_busy_worker(_done: dict, client) -> None:
        if killed:
            return
        busy = [addr for addr, keys in client.processing().items() if keys]
        pids = client.run(os.getpid)
        if busy:
            killed.append((busy[0], pids[busy[0]]))
            os.kill(pids[busy[0]], signal.SIGKILL)  # the nanny starts a new worker; its partition runs again

    summary = extract_dataset(inputs, out, workers=2, progress=kill_a_busy_worker)
    status, cli = cli_json(["extract", "--workers", "2", *map(str, inputs)])
    return {"articles": articles, "inputs": inputs, "out": out, "summary": summary, "killed": killed,
            "cli": cli, "cli_status": status}


@pytest.mark.slow
def test_the_cluster_gives_what_extract_gives(big_run):
    found = dataset_incidents(big_run["out"])
    assert len(found) == big_run["summary"].incidents > N_ARTICLES  # one row per incident of each article
    # `extract` merges the reports of one event across articles: merged in input order, the rows give the same
    features = [i.to_feature() for i in merge_incidents(found)]
    cli = big_run["cli"]["features"]
    assert len(features) == len(cli) > 50
    assert [f["id"] for f in features] == [f["id"] for f in cli]
    assert features == cli  # same properties (sources and quotes too), same points


@pytest.mark.slow
def test_a_killed_worker_loses_no_article(big_run):
    summary, out = big_run["summary"], big_run["out"]
    assert big_run["killed"], "no worker was busy when the first partition ended"
    assert summary.failed == [] and summary.written == N_PARTITIONS and summary.skipped == 0
    assert len(summary.worker_load_seconds) == 2 and min(summary.worker_load_seconds) > 0  # each loaded once, up front
    stored = {row["article_id"] for name in tables.partitions(out)
              for row in _table(out / "articles" / f"{name}.parquet")}
    assert stored == {a.id for a in big_run["articles"]}
    assert summary.articles == N_ARTICLES and summary.errors == 1
    errors = [e for name in tables.partitions(out) for e in tables.read_errors(out, name)]
    assert len(errors) == 1 and errors[0]["origin"].endswith("articles-2.jsonl:51")
    assert 'needs a "text" string' in errors[0]["reason"]
    assert big_run["cli_status"] == 1  # the same bad record fails `extract` too


@pytest.mark.slow
def test_the_dataset_is_geoparquet(big_run):
    import geopandas

    frame = geopandas.read_parquet(big_run["out"] / "incidents")
    assert frame.crs.to_epsg() == 4326 or frame.crs.to_string() == "OGC:CRS84"
    assert set(frame.geom_type) == {"Point"}
    assert len(frame) == big_run["summary"].incidents
    assert {"id", "article_id", "event_date", "fatalities", "quote", "sources", "geo_precision"} <= set(frame.columns)
    row = frame.iloc[0]
    assert (row.geometry.x, row.geometry.y) != (0.0, 0.0)
    assert json.loads(row["sources"])[0]["article_id"] == row["article_id"]


@pytest.mark.slow
def test_a_second_run_skips_what_is_written(big_run):
    from mapper.scale.cluster import extract_dataset

    again = extract_dataset(big_run["inputs"], big_run["out"], workers=2)
    assert (again.skipped, again.written, again.articles) == (N_PARTITIONS, 0, 0)


@pytest.mark.slow
def test_ingest_stores_the_dataset_once(big_run, tmp_path):
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    status, first = cli_json(["ingest", str(big_run["out"]), "--db", url, "--quiet", "--json"])
    assert first["articles_read"] == first["ingested"] == N_ARTICLES
    assert first["incidents_new"] + first["incidents_merged"] == big_run["summary"].incidents
    assert [r["reason"] for r in first["rejected"]][0].endswith('needs a "text" string')
    assert status == 0
    with Store.open(url) as store:
        assert store.stats() == {"articles": N_ARTICLES, "incidents": first["incidents_new"]}
    _, second = cli_json(["ingest", str(big_run["out"]), "--db", url, "--quiet", "--json"])
    assert (second["ingested"], second["already_stored"]) == (0, N_ARTICLES)


@pytest.mark.slow
def test_a_crashed_partition_is_redone_alone(tmp_path):
    """Partitions of N records: the one whose files were not renamed into place is extracted again."""
    from mapper.scale.cluster import extract_dataset

    articles = corpus(6)
    (path,) = write_partitions(tmp_path / "in", articles, 1)
    out = tmp_path / "out"
    first = extract_dataset([path], out, workers=1, partition_size=2)
    assert (first.partitions, first.written, first.articles) == (3, 3, 6)
    names = tables.partitions(out)
    before = {n: tables.read_incidents(out, n) for n in names}
    (out / "incidents" / f"{names[1]}.parquet").unlink()  # as if the worker died before the last rename
    second = extract_dataset([path], out, workers=1, partition_size=2)
    assert (second.skipped, second.written, second.articles) == (2, 1, 2)
    assert {n: tables.read_incidents(out, n) for n in names} == before


def test_partitions_split_jsonl_at_record_boundaries(tmp_path):
    articles = corpus(5)
    (path,) = write_partitions(tmp_path, articles, 1)
    plan = partitions.plan([path], size=2)
    assert [(p.first_record, p.records) for p in plan] == [(0, 2), (2, 2), (4, 1)]
    read = [a for p in plan for a in partitions.read_partition(p)]
    assert [a.id for a in read] == [a.id for a in articles]
    assert read[3].origin == f"{path}:4"
    assert partitions.plan([path])[0].name == partitions.plan([tmp_path])[0].name  # a file, or found in its directory


def test_parquet_partitions_read_article_records(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    articles = corpus(5)
    table = pa.table({"text": [a.text for a in articles], "published": [a.published for a in articles],
                      "url": [a.url for a in articles], "title": [a.title for a in articles]})
    pq.write_table(table, tmp_path / "articles.parquet", row_group_size=2)
    plan = partitions.plan([tmp_path / "articles.parquet"], size=3)
    read = [a for p in plan for a in partitions.read_partition(p)]
    assert [a.id for a in read] == [a.id for a in articles]
    assert read[4].origin.endswith("articles.parquet#4")


def test_inputs_the_engine_cannot_read_are_named(tmp_path):
    from mapper.errors import IncidentMapError

    (tmp_path / "a.txt").write_text("text", encoding="utf-8")
    with pytest.raises(IncidentMapError, match="reads .jsonl, .ndjson or .parquet"):
        partitions.plan([tmp_path / "a.txt"])
    with pytest.raises(IncidentMapError, match="no such file"):
        partitions.plan([tmp_path / "missing.jsonl"])
    with pytest.raises(IncidentMapError, match="no .jsonl"):
        partitions.plan([tmp_path])


def test_an_output_directory_of_other_files_is_refused(tmp_path):
    from mapper.errors import IncidentMapError

    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(IncidentMapError, match="not an extraction dataset"):
        tables.start(tmp_path)


def test_the_dask_options_need_the_dask_engine(tmp_path, capsys):
    assert main(["extract", "-o", str(tmp_path / "out"), str(ARTICLES / "talks_visit.txt")]) == 1
    assert "go with --engine dask" in capsys.readouterr().err
    assert main(["extract", "--engine", "dask", str(ARTICLES / "records.jsonl")]) == 1
    assert "-o DIR" in capsys.readouterr().err


def _table(path: Path) -> list[dict]:
    import pyarrow.parquet as pq

    return pq.read_table(path).to_pylist()
