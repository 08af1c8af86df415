"""Event types: ACLED's vocabulary plus Diplomacy, the trained classifier, and the rule path `classify`.

The sentences below are ours, written for these tests in news style (none is in the training
data, mapper/nlp/data/labelled_sentences.tsv, and none is an ACLED note).
"""

from __future__ import annotations

import gzip
import json

import pytest

from mapper.families import EVENT_TYPES as FAMILY_EVENT_TYPES
from mapper.families import family_of
from mapper.nlp.event_rules import DEFINITIONS, EVENT_TYPES, NONE, RULES, SUB_EVENT_TYPES, TYPE_OF, rule_kind
from mapper.nlp.events import classify, predict_event
from mapper.nlp.models import MODELS, LinearModel, load_model
from mapper.nlp.models import events as model_mod

BATTLES = "Battles"
REMOTE = "Explosions/Remote violence"
CIVILIANS = "Violence against civilians"
PROTESTS = "Protests"
RIOTS = "Riots"
STRATEGIC = "Strategic developments"
DIPLOMACY = "Diplomacy"


def test_vocabulary_is_acled_plus_diplomacy():
    assert len(EVENT_TYPES) == 7 and DIPLOMACY in EVENT_TYPES
    acled = {t: s for t, s in EVENT_TYPES.items() if t != DIPLOMACY}
    assert len(acled) == 6 and sum(len(s) for s in acled.values()) == 25
    assert EVENT_TYPES[DIPLOMACY] == ("Negotiations", "Visit")
    assert set(DEFINITIONS) == set(SUB_EVENT_TYPES)


def test_vocabulary_matches_the_map_families():
    # The map's filters and layers (mapper/families.py) must know every type the classifier emits.
    assert {t: set(s) for t, s in EVENT_TYPES.items()} == {t: set(s) for t, s in FAMILY_EVENT_TYPES.items()}
    assert family_of("Battles", "Armed clash") == "ground"
    assert family_of(STRATEGIC, "Disrupted weapons use") == "shot_down"


def test_every_rule_names_a_known_sub_type():
    assert all(TYPE_OF[r.sub_event_type] == r.event_type for r in RULES)


def test_labelled_sentences_cover_every_class():
    rows = model_mod.sentence_rows()
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids)) >= 400
    per_class = {c: sum(r["sub_event_type"] == c for r in rows) for c in model_mod.CLASSES}
    assert min(per_class.values()) >= 6, per_class


@pytest.mark.parametrize(
    "sentence, event_type, sub_event_type",
    [
        # Battles: ACLED codes armed attacks on soldiers and police as battles, not violence against civilians.
        ("Gunmen stormed a police checkpoint outside the town before dawn, killing two officers.", BATTLES, "Armed clash"),
        ("Militants attacked an army outpost in the hills, and the soldiers fought back for three hours.", BATTLES, "Armed clash"),
        ("Rebel fighters and government troops clashed on the road to the airport on Wednesday.", BATTLES, "Armed clash"),
        ("The army recaptured the town from the insurgents after two days of fighting.", BATTLES, "Government regains territory"),
        ("Insurgents overran the district headquarters after a night-long battle with police.", BATTLES,
         "Non-state actor overtakes territory"),
        # ... and the same gunmen killing farmers is violence against civilians.
        ("Gunmen killed six farmers in their fields near the village.", CIVILIANS, "Attack"),
        ("Attackers on motorcycles shot dead four traders at a cattle market.", CIVILIANS, "Attack"),
        ("Armed men raped two women who were fetching water near the camp.", CIVILIANS, "Sexual violence"),
        ("Gunmen kidnapped a schoolteacher and his two children from their home.", CIVILIANS, "Abduction/forced disappearance"),
        ("An airstrike hit a fuel depot on the edge of the city, killing two guards.", REMOTE, "Air/drone strike"),
        ("Artillery shells slammed into a residential area, wounding five civilians.", REMOTE, "Shelling/artillery/missile attack"),
        ("A roadside bomb tore through a police pickup, killing three officers.", REMOTE, "Remote explosive/landmine/IED"),
        ("A suicide bomber detonated his vest at the gate of a government compound.", REMOTE, "Suicide bomb"),
        ("A man threw a grenade at guests leaving a wedding, injuring nine.", REMOTE, "Grenade"),
        ("Residents said a chlorine gas attack left dozens of people choking in the district.", REMOTE, "Chemical weapon"),
        ("Hundreds of nurses marched peacefully to the health ministry to demand better pay.", PROTESTS, "Peaceful protest"),
        ("Riot police fired tear gas to scatter students demonstrating outside the university.", PROTESTS,
         "Protest with intervention"),
        ("Soldiers opened fire on protesters demanding water and electricity, killing three.", PROTESTS,
         "Excessive force against protesters"),
        ("Protesters hurled stones at police and set a government vehicle on fire.", RIOTS, "Violent demonstration"),
        ("A mob beat a suspected pickpocket to death at the bus station.", RIOTS, "Mob violence"),
        ("Residents lynched two men they accused of kidnapping a child.", RIOTS, "Mob violence"),
        ("Security forces detained 30 suspected militants in a night raid on the suburb.", STRATEGIC, "Arrests"),
        ("Police arrested the leader of the opposition party at his home on Sunday.", STRATEGIC, "Arrests"),
        ("Fighters looted shops and carried off sacks of food aid from a warehouse.", STRATEGIC, "Looting/property destruction"),
        ("The militants set up a base in an abandoned school outside the town.", STRATEGIC, "Headquarters or base established"),
        ("The two armed groups signed a ceasefire deal on Sunday.", STRATEGIC, "Agreement"),
        ("Fifty fighters surrendered to the army with their rifles.", STRATEGIC, "Agreement"),
        ("Soldiers pulled out of the village and the militia moved in without firing a shot.", STRATEGIC,
         "Non-violent transfer of territory"),
        ("The army sent hundreds of reinforcements to the northern front.", STRATEGIC, "Change to group/activity"),
        ("Air defences intercepted three missiles over the capital overnight.", STRATEGIC, "Disrupted weapons use"),
        ("The air force said it shot down 40 attack drones overnight.", STRATEGIC, "Disrupted weapons use"),
        ("Engineers defused a bomb found under a bridge on the main road.", STRATEGIC, "Disrupted weapons use"),
        ("The defence minister met his Turkish counterpart in Istanbul on Tuesday.", DIPLOMACY, "Negotiations"),
        ("Negotiators from both sides are due to meet in Vienna next week.", DIPLOMACY, "Negotiations"),
        ("The foreign minister visited a refugee camp near the border on Thursday.", DIPLOMACY, "Visit"),
        ("The prime minister arrived in Riyadh on Sunday for a two-day visit.", DIPLOMACY, "Visit"),
    ],
)
def test_news_sentences_get_their_acled_type(sentence, event_type, sub_event_type):
    pred = predict_event(sentence)
    assert pred.is_event, pred.explain()
    assert (pred.event_type, pred.sub_event_type) == (event_type, sub_event_type), pred.explain()


@pytest.mark.parametrize("sentence", [
    "The central bank said inflation had fallen to 12 percent in March.",
    "Analysts warned that the fighting could spread to neighbouring provinces.",
    "The group has been fighting the government for more than a decade.",
    "The minister said the country would defend itself against any aggression.",
    "Food prices in the capital have doubled since January.",
    "The spokesman did not respond to a request for comment.",
])
def test_sentences_that_report_no_event_are_none(sentence):
    pred = predict_event(sentence)
    assert not pred.is_event, pred.explain()
    assert pred.none_probability > pred.probability


def test_prediction_carries_its_trace():
    text = "On Tuesday, gunmen stormed a police checkpoint near the market and killed two officers."
    pred = predict_event(text)
    assert pred.event_type == BATTLES
    assert pred.trigger is not None and text[pred.trigger.start:pred.trigger.end] == pred.trigger.text
    assert pred.runner_up[0] != pred.sub_event_type and 0 <= pred.runner_up[1] <= pred.probability <= 1
    assert pred.features and all(w > 0 for _, w in pred.features)
    assert pred.type_probability >= pred.probability
    assert "Armed clash" in pred.explain()


def test_dates_and_numbers_are_not_evidence():
    a = predict_event("On 3 May 2024, 12 soldiers were killed when militants ambushed their convoy.")
    b = predict_event("On 28 October 2019, 450 soldiers were killed when militants ambushed their convoy.")
    assert (a.sub_event_type, round(a.probability, 6)) == (b.sub_event_type, round(b.probability, 6))


def test_classify_keeps_the_rule_contract():
    text = "Gunmen stormed a police checkpoint outside the town, killing two officers."
    kind = classify(text)
    assert (kind.event_type, kind.sub_event_type) == (BATTLES, "Armed clash")
    assert text[kind.start:kind.end] == kind.trigger and kind.strength == 2
    assert classify("The weather will be sunny on Sunday.") is None
    # a consequence alone stays a weak (strength 0) answer, as the incident builder expects
    assert classify("Two people died in hospital.").strength == 0


def test_classify_types_new_sub_types_with_their_trigger():
    text = "Police arrested an opposition lawmaker at his home in the capital."
    kind = classify(text)
    assert (kind.event_type, kind.sub_event_type, kind.trigger) == (STRATEGIC, "Arrests", "arrested")
    assert rule_kind("Gunmen abducted a priest from his parish.").sub_event_type == "Abduction/forced disappearance"


def test_committed_weights_load_and_are_small():
    path = MODELS / "events.json.gz"
    assert path.stat().st_size < 3_000_000
    model = load_model("events")
    assert model.classes == model_mod.CLASSES and NONE in model.classes
    assert model.meta["idf"] and model.meta["settings"]["hand_scale"] > 0
    names = {f for w in model.weights for f in w}
    assert any(f.startswith("rule:") for f in names) and any(f.startswith("w:") for f in names)
    # Proper names of the training conflict are left out of the vocabulary.
    assert not any(w in model.meta["idf"] for w in ("w:mogadishu", "w:shabaab", "w:baidoa"))


def _synthetic() -> list[model_mod.Example]:
    """Two short examples per class, built from the class's definition and its rule words."""
    out = []
    for sub in model_mod.CLASSES:
        if sub == NONE:
            texts = ["The weather was mild and markets were busy.", "Officials discussed the budget and the economy."]
        else:
            words = DEFINITIONS[sub].lower().rstrip(".")
            texts = [f"Reports said that {words}.", f"It was confirmed: {words}, residents said."]
        out += [model_mod.Example("sentences", f"{sub}-{i}", t, sub) for i, t in enumerate(texts)]
    return out


def test_retraining_on_a_tiny_set_works_and_is_deterministic(tmp_path):
    train = _synthetic()
    settings = model_mod.Settings(min_df=1, c=30.0, prune=0.0)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    # gzip keeps the file name in its header: the same name in two folders, as a retrain overwrites
    first = model_mod.fit(train, settings).save(tmp_path / "a" / "events.json.gz")
    second = model_mod.fit(train, settings).save(tmp_path / "b" / "events.json.gz")
    assert first.read_bytes() == second.read_bytes()
    with gzip.open(first, "rb") as fh:
        model = LinearModel.from_json(json.loads(fh.read()))
    clf = model_mod.EventClassifier(model)
    labels = model_mod.predict_labels(clf, [e.text for e in train])
    assert model_mod.accuracy([e.label for e in train], labels) >= 0.9
    pred = predict_event("It was confirmed: " + DEFINITIONS["Grenade"].lower(), model=clf)
    assert pred.sub_event_type == "Grenade"


def test_acled_notes_are_read_as_news():
    note = ("Movement of forces: On 3 April 2025, government forces were deployed near a town. "
            "Unspecified number of fatalities coded as 3.")
    assert model_mod.acled_text(note) == "Government forces were deployed near a town."


def _article_sentences() -> list[str]:
    import re
    from pathlib import Path

    root = Path(__file__).parent / "data" / "articles"
    out = []
    for path in sorted(root.rglob("*.txt")):
        out += re.split(r"(?<=[.!?])\s+", path.read_text(encoding="utf-8", errors="replace"))
    return out


def test_needed_literals_never_skip_a_match():
    from mapper.nlp.event_rules import fold
    from mapper.nlp.literals import needed_literals

    texts = [fold(t) for t in [r["sentence"] for r in model_mod.sentence_rows()] + _article_sentences()]
    checked = 0
    for rule in RULES:
        assert rule.needs == needed_literals(rule.rx.pattern) and rule.needs, rule.sub_event_type
        for text in texts:
            if rule.rx.search(text):
                checked += 1
                assert any(word in text for word in rule.needs), (rule.sub_event_type, text)
    assert checked > 500


@pytest.mark.parametrize("pattern, needs", [
    (r"\b(?:hand\s+)?grenades?\b", {"grenade"}),
    (r"\b(?:shot\s+down|downed)\b", {"shot", "downed"}),  # one word per branch suffices
    (r"\bsuicide\s+(?:bombers|vests?)\b", {"suicide"}),
    (r"(?<!not\s)\bclash(?:es|ed)?\b", {"clash"}),
    (r"\b(?:a|an)\s+[\w-]+\s+(?:base|camp)\b", {"base", "camp"}),
    (r"\b\w+\b", None),
    (r"\b(?:talks|\d+)\b", None),
])
def test_needed_literals(pattern, needs):
    from mapper.nlp.literals import needed_literals

    got = needed_literals(pattern)
    assert (set(got) if got is not None else None) == needs


@pytest.mark.parametrize("sentence", [
    "About 40 settlers entered the old market of the village and attacked shopkeepers with stones and pepper spray.",
    "A group of young men attacked the two traders with sticks and knives outside the mosque.",
])
def test_an_attack_with_hand_weapons_is_on_the_ground(sentence):
    kind = rule_kind(sentence)
    assert (kind.event_type, kind.sub_event_type) == ("Violence against civilians", "Attack"), kind
