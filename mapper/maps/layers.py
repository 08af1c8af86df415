"""`IncidentLayer`: all incidents as one compact data block drawn client-side.

Unlike one folium ``Marker`` per incident, the incidents are embedded once as columns (strings
in a shared, HTML-escaped table) and ``mapper/maps/static/incident-map.js`` draws them (SVG or
canvas circle markers in one cluster layer), so 100,000 incidents stay a few MB and open in
seconds. `incident_columns` is also what the live map's data API answers.
"""

from __future__ import annotations

import gzip
import html
import json
import re
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import numpy as np
from branca.element import CssLink, Element, JavascriptLink, MacroElement
from folium.elements import JSCSSMixin
from jinja2 import Template

from mapper.maps import assets
from mapper.maps.names import as_written, english_name
from mapper.families import FAMILIES, Family, family_of
from mapper.records import Incident

_EPOCH = date(1970, 1, 1)
# Base85 as Python's b85encode, but "." for "<" so that no "</script" or "<!--" can appear,
# the alphabet has no quote or backslash, so the text sits in a JS string as is.
# ":" for "{" because branca compiles rendered scripts as Jinja templates again (see `safe_json`).
B85_ALPHABET = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!#$%&()*+-;.=>?@^_`:|}~"


def b85encode(data: bytes) -> str:
    """Base85 text of `data` (zero-padded to whole 4-byte words; the reader knows the length)."""
    words = np.frombuffer(data + b"\0" * (-len(data) % 4), dtype=">u4").astype(np.uint64)
    digits = np.empty((len(words), 5), dtype=np.uint8)
    for k in range(4, -1, -1):
        words, digits[:, k] = np.divmod(words, 85)
    return np.frombuffer(B85_ALPHABET, dtype=np.uint8)[digits].tobytes().decode("ascii")


def packed_json(value: Any) -> str:
    """A JS object literal ``{"b85": ..., "n": ...}``: `value` as gzip-compressed JSON in base85.

    Article text compresses ~3x; base85 costs 25% (base64 33%). Browsers inflate natively.
    """
    raw = gzip.compress(json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8"),
                        compresslevel=6, mtime=0)
    return '{"b85":"' + b85encode(raw) + '","n":' + str(len(raw)) + "}"


_JINJA_OPEN = re.compile(r"\{(?=[{%#])")


def safe_json(value: Any) -> str:
    """JSON that can sit inside a ``<script>`` block (no ``</script>``, no ``<!--``) and survive
    folium: branca compiles each rendered script as a Jinja template once more, so an article
    saying ``{{ ... }}`` would run as template code. In JSON a ``{`` followed by ``{ % #``
    can only be inside a string, where ``\\u007b`` means the same character."""
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026").replace(
        "\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return _JINJA_OPEN.sub(r"\\u007b", text)


def safe_url(url: str | None) -> str:
    """An http(s) URL, escaped for an attribute; anything else (``javascript:``...) becomes empty."""
    if not url or not url.lower().startswith(("http://", "https://")):
        return ""
    return html.escape(url, quote=True)


def _day(value: date | None) -> int | None:
    return None if value is None else (value - _EPOCH).days


class _Strings:
    """A table of HTML-escaped strings; columns hold indexes (0 = empty)."""

    def __init__(self) -> None:
        self.values: list[str] = [""]
        self._index: dict[object, int] = {None: 0, "": 0}

    def __call__(self, value: object, *, escaped: bool = False) -> int:
        found = self._index.get(value)  # most values repeat: escape each distinct one once
        if found is None:
            text = str(value) if escaped else html.escape(str(value), quote=True)
            found = self._index[value] = len(self.values)
            self.values.append(text)
        return found


def incident_columns(incidents: Sequence[Incident], *, families: Sequence[Family] = FAMILIES,
                     ids: bool = True) -> dict[str, Any]:
    """The compact column form `incident-map.js` reads, the same for the standalone map and the
    live map's data API.

    Repeated strings (types, places, sources, URLs) are indexes into one table ``s``; quotes,
    nearly always unique, are a plain column ``q``; dates are days since ``d0``; coordinates
    have 4 decimals (~10 m, finer than any gazetteer point). Places are shown in English
    (``loc``, `english_name`) with the article's own spelling beside them when it differs
    (``wr``); ``ac`` is the admin-1 code the region shading and the choropleth use. `ids=False`
    leaves out incident ids, which only links to the incident pages need.
    """
    fam_index = {f.key: i for i, f in enumerate(families)}
    s = _Strings()
    cols: dict[str, list[Any]] = {k: [] for k in (
        "lat", "lon", "fam", "prec", "fat", "inj", "d", "e", "t", "st", "loc", "wr", "adm", "ac", "cc", "att", "src",
        "url", "pub", "a1", "a2", "q", "id", "ns")}
    days = [d for i in incidents for d in (_day(i.event_date), _day(i.event_date_end)) if d is not None]
    d0 = min(days) if days else 0
    for i in incidents:
        cols["lat"].append(round(i.lat, 4))
        cols["lon"].append(round(i.lon, 4))
        cols["fam"].append(fam_index.get(family_of(i.event_type, i.sub_event_type), len(families) - 1))
        cols["prec"].append(i.geo_precision)
        cols["fat"].append(i.fatalities)
        cols["inj"].append(i.injured)
        cols["d"].append(None if i.event_date is None else _day(i.event_date) - d0)
        cols["e"].append(None if i.event_date_end is None else _day(i.event_date_end) - d0)
        cols["t"].append(s(i.event_type))
        cols["st"].append(s(i.sub_event_type))
        cols["loc"].append(s(english_name(i.location)))
        cols["wr"].append(s(as_written(i.location, i.mention)))
        cols["adm"].append(s(english_name(i.admin1)))
        cols["ac"].append(s(i.admin1_code))
        cols["cc"].append(s(i.country))
        cols["att"].append(s(i.attribution))
        cols["src"].append(s(i.source))
        cols["url"].append(s(safe_url(i.source_url), escaped=True))
        cols["pub"].append(s(i.published.isoformat() if i.published else None))
        cols["a1"].append(s(i.actor1))
        cols["a2"].append(s(i.actor2))
        cols["q"].append(html.escape(i.quote or "", quote=True))
        if ids:
            cols["id"].append(s(i.id))
        cols["ns"].append(len(i.sources))
    if not ids:
        del cols["id"]
    return {**cols, "n": len(incidents), "d0": d0, "s": s.values}


class _Raw(Element):
    """Script text that goes into the page as is. branca wraps each rendered script in a new
    ``Element(text)``, compiling it as a Jinja template: slow for megabytes of data, and
    article text would be template code."""

    def __init__(self, text: str):
        super().__init__()
        self.text = text

    def render(self, **kwargs: Any) -> str:
        return self.text


class IncidentLayer(JSCSSMixin, MacroElement):
    """The incident map client (`incident-map.js`) mounted on a folium Map with its data.

    Modelled on folium's ``HeatMap``: the JS/CSS are listed as data, the options are built in
    Python (`options`, JSON-ready) and the incidents are embedded once as columns
    (`incident_columns`), gzip-compressed above `compress_above` incidents (`packed_json`).
    The live web page mounts the same client with the same options and fetches its data.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = IncidentMap.mount({{ this._parent.get_name() }},
                Object.assign({{ this.options_json }}, {data: {{ this.data_json }}}));
        {% endmacro %}
    """)

    default_js = [(name, rel) for name, rel in assets.CLIENT_JS if name != "leaflet"]
    default_css = [(name, rel) for name, rel in assets.CLIENT_CSS if name != "leaflet_css"]

    def __init__(self, incidents: Sequence[Incident], *, options: Mapping[str, Any], families: Sequence[Family] = FAMILIES,
                 ids: bool = False, compress_above: int = 5000):
        super().__init__()
        self._name = "IncidentLayer"
        self.default_js = [(name, assets.file_url(rel)) for name, rel in type(self).default_js]
        self.default_css = [(name, assets.file_url(rel)) for name, rel in type(self).default_css]
        data = incident_columns(incidents, families=families, ids=ids)
        self.data_json = packed_json(data) if len(incidents) > compress_above else safe_json(data)
        self.options_json = safe_json(dict(options))

    def render(self, **kwargs: Any) -> None:
        figure = self.get_root()
        for name, url in self.default_js:
            figure.header.add_child(JavascriptLink(url), name=name)
        for name, url in self.default_css:
            figure.header.add_child(CssLink(url), name=name)
        script = self._template.module.__dict__["script"](self, kwargs)
        figure.script.add_child(_Raw(str(script)), name=self.get_name())
