"""How candidates are ranked and how a rank becomes a 0..1 score.

Each candidate gets a raw strength, the sum of
- the match: primary name 1.0, a spelling variant of it 0.95 (an alternate whose folded key
  equals the primary's: Odessa for Odesa), an alternate name 0.8, a folded-only match -0.25
  less (the build drops a city's alternates that name another region of its country: GeoNames
  lists "Missouri" among Bozeman's names);
- the kind of place: countries are strong (+0.45), named areas from our alias table +0.3,
  cities 0, admin-1 regions -0.18 unless the phrase asks for a region, postal villages -0.05,
  second-level districts -0.25 (a district named like its town or its province yields to them
  unless the phrase says "district").
  With size (below) this makes a city beat the region of its name when it holds more than
  about a tenth of the region's people ("Donetsk" is the city, "Ontario" the province). A
  region reached by an alternate name ("Nikolayev") loses 0.3 more, and a city-state region
  whose main city (named like it) holds 25% of its people (Kyiv, Moscow, New York) 0.3: the
  city is meant;
- size: 1.2 * log10(population) / 7.5 (capped), and fame: 0.3 * log2(number of alternate
  names) / 8 — GeoNames lists many names only for places the world writes about, which is
  what puts Odesa (Ukraine) above Odessa (Texas) with no context;
- context (`Context`, the `country` argument, a parent in "Town, Province"): see `Context`.

The static part (match, kind, size, fame) is computed at build time and stored with each
posting, so a lookup without context only reads the first postings; the build also stores
whole answers for the commonest questions (a name alone, "<name> region"), scored by
`top_score` exactly as the query-time paths score them (see `gazetteer.answers`).

The score of candidate i is `share_i * plausibility_i`: share = softmax(8 * strength) over
the candidates (how clearly it beats the other senses), plausibility = logistic(4 *
(strength - 1.1)) (how strong a place-name match it is at all: a hamlet of 300 matched through
an alternate spelling stays low). Checked on tests/data/places.tsv, not a fitted model.
"""

from __future__ import annotations

import math

FEATURES = ("city", "admin1", "country", "region", "locality", "admin2")
F_CITY, F_ADMIN1, F_COUNTRY, F_REGION, F_LOCALITY, F_ADMIN2 = range(6)

K_PRIMARY, K_VARIANT, K_ALT = 0, 1, 2
K_FOLDED = 3  # stored kind of a posting reached through the folded key
MATCH_NAMES = ("name", "variant", "alternate", "folded")  # Place.raw["match"] by kind
MATCH_WEIGHT = (1.0, 0.95, 0.8)
FOLD_PENALTY = 0.25
ADMIN1_ALT_MALUS = -0.3
CITY_STATE_MALUS = -0.3
CITY_STATE_SHARE = 0.25
FEATURE_WEIGHT = (0.0, -0.18, 0.45, 0.3, -0.05, -0.25)

# Context and phrase adjustments (applied at query time).
WANT_FEATURE_BONUS = 1.0  # the phrase asks for a region and this is one
WANT_FEATURE_MALUS = -0.6  # the phrase asks for a region and this is not one
COUNTRY_ARG_MALUS = -1.2  # `country=` given and the candidate is elsewhere
CONTEXT_COUNTRY_BONUS = 0.35
CONTEXT_ADMIN1_BONUS = 0.45
CONTEXT_NEAR_BONUS = 0.35  # times exp(-distance / 250 km) to the nearest context place
PARENT_BONUS = 1.0  # "Town, Province": inside the named province / country
PARENT_OUTSIDE_MALUS = -1.0  # ... and outside a written province, district or country

# A key's postings read without context: the rest cannot reach the top or move a score.
TOP_POSTINGS = 24
MAX_POSTINGS = 200  # with context, which may lift a posting from deep in the list
SHORT_KEY = 4  # keys this short match exactly only, never through folding ("Ky", "Ill")
CORE_PENALTY = 0.6  # a phrase's name found without its kind word: the phrase as written matches better

SHARE_SHARPNESS = 8.0
PLAUSIBLE_AT = 1.1
PLAUSIBLE_SLOPE = 4.0


def size_term(population: int) -> float:
    if population <= 0:
        return 0.0
    return 1.2 * min(math.log10(population + 1), 7.5) / 7.5


def fame_term(n_names: int) -> float:
    return 0.3 * min(math.log2(n_names + 1), 8.0) / 8.0


def place_base(feature: int, population: int, n_names: int) -> float:
    """The part of a posting's strength that depends on the place alone."""
    return FEATURE_WEIGHT[feature] + size_term(population) + fame_term(n_names)


def static_strength(kind: int, feature: int, population: int, n_names: int, *, folded: bool = False) -> float:
    """The context-free strength of one (name, place) posting."""
    s = MATCH_WEIGHT[kind] + place_base(feature, population, n_names)
    return s - FOLD_PENALTY if folded else s


def scores(strengths: list[float], limit: int | None = None) -> list[float]:
    """Calibrated 0..1 scores for candidate strengths sorted best first (the first `limit`)."""
    if not strengths:
        return []
    top = strengths[0]
    count = len(strengths)
    n = count if limit is None else min(limit, count)
    exp = math.exp  # called a few times per lookup: a local is cheaper than the module lookup
    if count == 1:
        return [1.0 / (1.0 + exp(-PLAUSIBLE_SLOPE * (top - PLAUSIBLE_AT)))]
    floor = top - 1.5  # below this a sense weighs < 1e-5 in the share: not worth an exp()
    total = 0.0
    exps = []
    for s in strengths:
        if s <= floor:
            break  # sorted: the rest are lower still
        e = exp(SHARE_SHARPNESS * (s - top))
        exps.append(e)
        total += e
    out = [0.0] * n  # senses below the floor score 0
    for i in range(min(n, len(exps))):
        plaus = 1.0 / (1.0 + exp(-PLAUSIBLE_SLOPE * (strengths[i] - PLAUSIBLE_AT)))
        out[i] = exps[i] / total * plaus
    return out


def top_score(strengths: list[float]) -> float:
    """`scores(strengths, 1)[0]`, the same arithmetic in the same order, without the lists.

    The best candidate's own share term is exp(0) = 1, so its score is 1 / total * plausibility.
    """
    top = strengths[0]
    plaus = 1.0 / (1.0 + math.exp(-PLAUSIBLE_SLOPE * (top - PLAUSIBLE_AT)))
    if len(strengths) == 1:
        return plaus
    floor = top - 1.5
    exp = math.exp
    total = 0.0
    for s in strengths:
        if s <= floor:
            break
        total += exp(SHARE_SHARPNESS * (s - top))
    return 1.0 / total * plaus
