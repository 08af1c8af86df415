"""Train the NLP core's small models from ../shared data: ``python -m mapper.train NAME [options]``.

Each NAME is a module under `mapper.nlp.models` with ``main(argv) -> int`` that reads its
training data, fits on the train split (bench/splits.py), prints its scores on dev (and on
test with ``--test``) and writes ``mapper/nlp/models/NAME.json.gz``. Needs scikit-learn
(``pip install -e '.[train]'``); running the models does not.
"""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil
import sys
from pathlib import Path
from types import ModuleType

import mapper.nlp.models as models

REPO = Path(__file__).resolve().parents[1]


def splits() -> ModuleType:
    """bench/splits.py of this checkout: the one definition of train / dev / test (training runs
    from a repository checkout, with ../shared beside it)."""
    path = REPO / "bench" / "splits.py"
    if not path.exists():
        raise SystemExit(f"{path} not found: train from a checkout of the repository")
    spec = importlib.util.spec_from_file_location("bench_splits", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("bench_splits", module)
    spec.loader.exec_module(module)
    return module


def trainable() -> list[str]:
    """Names of the models that can be trained (modules of mapper.nlp.models with a main())."""
    out = []
    for info in pkgutil.iter_modules(models.__path__):
        if hasattr(importlib.import_module(f"mapper.nlp.models.{info.name}"), "main"):
            out.append(info.name)
    return sorted(out)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    names = trainable()
    if not argv or argv[0] in ("-h", "--help") or argv[0] not in names:
        print(f"usage: python -m mapper.train {{{','.join(names) or 'no models yet'}}} [options]", file=sys.stderr)
        return 0 if argv and argv[0] in ("-h", "--help") else 2
    return importlib.import_module(f"mapper.nlp.models.{argv[0]}").main(argv[1:])


if __name__ == "__main__":
    sys.exit(main())
