"""Small trained models of the NLP core and the container they share.

A model is a (multinomial or binary) logistic regression over *named* features, so every
decision can be explained: `LinearModel.explain` lists the features that pushed the answer.
Weights live beside this file as gzipped JSON (``<name>.json.gz``), written by
``python -m mapper.train <name>`` from ../shared data and read at run time with numpy only
(scikit-learn is needed to train, never to run). Zero weights are not stored.
"""

from __future__ import annotations

import gzip
import json
import math
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from mapper.errors import IncidentMapError

MODELS = Path(__file__).resolve().parent


@dataclass(frozen=True)
class LinearModel:
    """Logistic regression over named features: ``classes``, per-class weights, intercepts.

    Binary models have two classes and one weight vector (for ``classes[1]``), as scikit-learn
    stores them; multinomial models one vector per class.
    """

    name: str
    classes: tuple[str, ...]
    weights: tuple[dict[str, float], ...]
    intercepts: tuple[float, ...]
    meta: dict[str, Any] = field(default_factory=dict)

    def scores(self, features: dict[str, float]) -> dict[str, float]:
        """Class -> probability for one example given as {feature name: value}."""
        if len(self.classes) == 2 and len(self.weights) == 1:
            z = self.intercepts[0] + sum(self.weights[0].get(f, 0.0) * v for f, v in features.items())
            p = 1.0 / (1.0 + math.exp(-max(-35.0, min(35.0, z))))
            return {self.classes[0]: 1.0 - p, self.classes[1]: p}
        zs = [b + sum(w.get(f, 0.0) * v for f, v in features.items()) for w, b in zip(self.weights, self.intercepts)]
        top = max(zs)
        es = [math.exp(z - top) for z in zs]
        total = sum(es)
        return {c: e / total for c, e in zip(self.classes, es)}

    def explain(self, features: dict[str, float], cls: str, *, top: int = 5) -> list[tuple[str, float]]:
        """The features that pushed `cls` most (name, contribution), strongest first."""
        if len(self.weights) == 1:
            sign = 1.0 if cls == self.classes[1] else -1.0
            w = self.weights[0]
        else:
            sign, w = 1.0, self.weights[self.classes.index(cls)]
        parts = [(f, round(sign * w.get(f, 0.0) * v, 3)) for f, v in features.items() if w.get(f, 0.0) * v]
        return sorted(parts, key=lambda x: -x[1])[:top]

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "classes": list(self.classes),
                "weights": [{f: round(v, 5) for f, v in w.items() if round(v, 5)} for w in self.weights],
                "intercepts": [round(b, 5) for b in self.intercepts], "meta": self.meta}

    def save(self, path: Path | None = None) -> Path:
        path = path or MODELS / f"{self.name}.json.gz"
        tmp = path.with_suffix(".tmp")
        # mtime=0: the same weights give the same bytes (reproducible training).
        with gzip.GzipFile(tmp, "wb", mtime=0) as fh:
            fh.write(json.dumps(self.to_json(), sort_keys=True, separators=(",", ":")).encode("utf-8"))
        tmp.replace(path)
        return path

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LinearModel:
        return cls(name=data["name"], classes=tuple(data["classes"]), weights=tuple(data["weights"]),
                   intercepts=tuple(data["intercepts"]), meta=data.get("meta", {}))


@lru_cache(maxsize=None)
def load_model(name: str) -> LinearModel:
    """The committed model `name` (cached per process); `IncidentMapError` if it is missing or broken."""
    path = MODELS / f"{name}.json.gz"
    try:
        with gzip.open(path, "rb") as fh:
            return LinearModel.from_json(json.loads(fh.read()))
    except (OSError, ValueError, KeyError) as err:
        raise IncidentMapError(f"model {name!r} cannot be read from {path}: {err} "
                               f"(rebuild it with `python -m mapper.train {name}`)") from err


@lru_cache(maxsize=None)
def optional_model(name: str) -> LinearModel | None:
    """The committed model `name`, or None before it has been trained (the rules decide then)."""
    try:
        return load_model(name)
    except IncidentMapError:
        return None
