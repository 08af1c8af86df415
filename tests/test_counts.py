"""Casualty counts from the dependency parse: every class of phrasing news uses, one sentence each.

The sentences are news-style ones written for these tests (no corpus text).
"""

from __future__ import annotations

import pytest

from mapper.nlp.counts import parse_casualties


def _figures(sentence: str) -> tuple[int | None, int | None]:
    c = parse_casualties(sentence)
    return c.fatalities, c.injured


@pytest.mark.parametrize(
    "sentence, fatalities, injured",
    [
        # verb -> victim -> number, active, passive and as a result
        ("Gunmen killed three soldiers at a checkpoint near the border.", 3, None),
        ("Three soldiers were killed when their vehicle struck a mine.", 3, None),
        ("The attack left 5 dead and 14 wounded, the health ministry said.", 5, 14),
        ("Militants stormed the camp, killing at least 10 guards.", 10, None),
        ("A drone strike on the crowded market killed eleven people.", 11, None),
        ("Seven people were hospitalised after the explosion.", None, 7),
        ("A local elder was shot dead outside the mosque.", 1, None),
        ("Two men were beaten to death by a mob.", 2, None),
        ("A woman died of her wounds in hospital.", 1, None),
        ("The blast claimed the lives of four fishermen.", 4, None),
        ("The clash resulted in the deaths of two herders.", 2, None),
        ("Her husband survived with shrapnel wounds.", None, 1),
        ("Gunmen shot and killed a tailor in his shop.", 1, None),
        # coordination and ellipsis
        ("The raiders killed three and wounded 11 before fleeing.", 3, 11),
        ("Two dead and 30 injured after a car bomb exploded outside the stadium.", 2, 30),
        ("Three militants were killed and two soldiers were wounded in the exchange, the army said.", 3, 2),
        ("Two soldiers and three civilians were killed in the ambush.", 5, None),
        ("Shelling killed four people in the north of the city and two in the south.", 6, None),
        ("A teacher and her two pupils were injured.", None, 3),
        ("A police commander along with his driver was killed.", 2, None),
        ("Four were killed and nine wounded when the shell hit the bus stop.", 4, 9),
        ("Two villagers were killed, and another was injured.", 2, 1),
        ("Three herders died and a fourth was badly hurt when their truck hit a mine.", 3, 1),  # an ordinal: one more
        ("The toll, first put at nine by the police, rose on Tuesday.", None, None),  # the earlier figure counts nobody
        ("Two fishermen were wounded and the third was killed by the blast.", 1, 2),
        ("Twelve militants were killed and four soldiers wounded.", 12, 4),
        ("Four gunmen wounded two soldiers at the gate.", None, 2),
        # inclusions do not add
        ("A dozen people, including five women, were wounded.", None, 12),
        ("Nine people were injured, among them three children.", None, 9),
        ("The blast wounded eight people, two of them seriously.", None, 8),
        ("Seven civilians were killed, including 3 children.", 7, None),
        ("The strike injured nine people, two of them children.", None, 9),
        # numbers that count nobody
        ("On 19 March 2026, 3 policemen were killed in a district of the province.", 3, None),
        ("Two brothers aged 8 and 12 were killed.", 2, None),
        ("A 12-year-old boy was injured by shrapnel.", None, 1),
        ("The shell killed a man, 54, and his wife.", 2, None),
        ("At 10:30 on Tuesday two rockets hit the base, wounding four soldiers.", None, 4),
        ("The strike on the 93rd brigade's headquarters killed 2 officers.", 2, None),
        ("A roadside bomb on Route 5 killed one soldier.", 1, None),
        ("Forces shot down 58 drones overnight, and falling debris injured 2 people.", None, 2),
        ("The attack took place 15 km from the border and killed 3 herders.", 3, None),
        ("The kidnappers demanded a ransom of $5,000 and killed two hostages.", 2, None),
        ("Raiders slaughtered 20 camels and burned the grazing camp.", None, None),
        ("The air force said it destroyed 14 vehicles in 2025.", None, None),
        # nobody, and nothing said
        ("No one was hurt in the blast, the governor said.", 0, 0),
        ("There were no casualties.", 0, 0),
        ("Nobody was killed but five were injured.", 0, 5),
        ("There were no immediate reports of casualties.", None, None),
        ("The strike destroyed a warehouse.", None, None),
        # deaths that belong to another event
        ("Hundreds gathered to mourn the two men killed in the city last week.", None, None),
        ("The group threatened to kill any resident who tried to flee.", None, None),
        ("Residents blocked the road in protest against the killing of two traders.", None, None),
        # a party's claim gives way to a reported toll
        ("The rebels claimed to have killed 30 soldiers, but the army said 4 soldiers died.", 4, None),
        ("The militants claimed to have killed more than 10 soldiers.", 10, None),
        # a bare noun joined to a counted plural is a group of no told size, not one more person
        ("Jets bombed the clinic in the town, killing at least 7 patients and staff.", 7, None),
        ("The strike killed 15 villagers, farmers and herders' unions said.", 15, None),
        ("Shelling killed a woman and child in the village.", 2, None),
        # a suicide bomber who died is counted with his victims
        ("A suicide bomber blew himself up at the gate, killing himself and six others.", 7, None),
        ("The bomber struck a wedding party, killing 4 guests as well as himself.", 5, None),
        # a side's claim and its admission of its own dead add up
        ("The rebels claimed that 6 soldiers were killed and acknowledged the death of two of their own fighters.", 8, None),
    ],
)
def test_counts(sentence, fatalities, injured):
    assert _figures(sentence) == (fatalities, injured)


@pytest.mark.parametrize(
    "sentence, fatalities, note",
    [
        ("At least 10 people were killed in the clashes.", 10, "at least 10"),
        ("More than 10 people were killed in the clashes.", 10, "more than 10"),
        ("Up to 30 people died in the fire that followed the strike.", 30, "up to 30"),
        ("Between 12 and 15 people were killed.", 12, "between 12 and 15"),
        ("Dozens of people were killed in the stampede.", None, "dozens"),
        ("Scores were killed in the massacre.", None, "scores"),
        ("Several soldiers were killed when the convoy came under fire.", None, "several"),
        ("Many civilians were killed.", None, "many"),
    ],
)
def test_hedges_keep_their_phrase(sentence, fatalities, note):
    c = parse_casualties(sentence)
    assert (c.fatalities, c.fatalities_note) == (fatalities, note)


def test_vague_injured_beside_a_bounded_toll():
    c = parse_casualties("Dozens of people were injured and at least 10 were killed.")
    assert (c.fatalities, c.fatalities_note, c.injured, c.injured_note) == (10, "at least 10", None, "dozens")
    assert c.note == "at least 10 killed; dozens injured"


@pytest.mark.parametrize(
    "sentence, fatalities, injured",
    [
        ("The death toll from last week's bombing in the market rose to 17.", 17, None),
        ("Rescuers pulled three more bodies from the rubble, bringing the death toll to 21.", 21, None),
        ("The number of injured climbed to 40 on Tuesday, hospital officials said.", None, 40),
        ("The toll rose from 5 to 7 overnight.", 7, None),
        # how event reports state the figure they coded
        ("Several fighters were killed. Unspecified number of fatalities coded as 3.", 3, None),
        ("A clash left several fighters dead (coded as 10).", 10, None),
        ("Fatalities coded as 6 (2 soldiers and 4 militants).", 6, None),
        ("12 fatalities split across 2 events and coded as 6 for this event.", 6, None),
    ],
)
def test_tolls_that_rise_or_are_coded_replace_the_rest(sentence, fatalities, injured):
    c = parse_casualties(sentence)
    assert c.correction and (c.fatalities, c.injured) == (fatalities, injured)


def test_a_superseded_figure_is_not_counted():
    assert not parse_casualties("An earlier version of this story said five people had been killed.").found


def test_ranges_count_their_lower_bound():
    c = parse_casualties("4 - 11 soldiers were killed in the assault.")
    assert (c.fatalities, c.fatalities_note) == (4, "4 - 11")


def test_the_trace_names_the_rule_and_the_victims():
    c = parse_casualties("Three militants were killed and two soldiers were wounded in the exchange.")
    assert [(link.kind, link.value, link.rule, link.trigger, link.victims) for link in c.trace] == [
        ("killed", 3, "passive_subject", "killed", "Three militants"),
        ("injured", 2, "passive_subject", "wounded", "two soldiers"),
    ]
    assert "passive_subject" in str(c.trace[0])


def test_a_span_of_a_parsed_document_is_not_parsed_again(parse_then_forbid):
    doc = parse_then_forbid("A shell hit the port on Monday. Two dockers were killed and one was injured, officials said.")
    second = list(doc.sents)[1]
    c = parse_casualties(second)
    assert (c.fatalities, c.injured) == (2, 1)
    assert parse_casualties(list(doc.sents)[0]).found is False
    assert (parse_casualties(doc).fatalities, parse_casualties(doc).injured) == (2, 1)


def test_sentences_of_a_note_add_up():
    c = parse_casualties("Two soldiers were killed at the gate. Later, three civilians died in hospital.")
    assert c.fatalities == 5


@pytest.mark.parametrize("text,killed", [
    # "shot dead" read as an object predicate, or as "dead" with the victims its object
    ("On 3 May 2026, men thought to be ISWAP fighters shot dead a village head and a nurse in Anka town.", 2),
    ("On 3 May 2026, men on a motorbike shot dead a female vaccination worker in Mardan as she went house to house.", 1),
    # a victim who did something, then died: the subject both verbs share
    ("A girl picked up a grenade and died.", 1),
    ("On 2 June 2026, a herder stepped on a mine while grazing his goats near Kidal town and died on the spot.", 1),
    ("A driver was hit by shrapnel and died in hospital.", 1),
    # "them" takes up the group the verb before counted
    ("Villagers dragged three old men from a hut and beat them to death, accusing them of witchcraft.", 3),
    ("Gunmen abducted four traders on the road to Maiduguri on Monday and killed them.", 4),
    # the parse reads "dead" as a preposition and the victim as its object
    ("A police officer shot dead a hawker in Eldoret.", 1),
])
def test_a_victim_shared_by_two_verbs_or_shot_dead_as_a_predicate_is_counted(text, killed):
    assert parse_casualties(text).fatalities == killed


def test_a_claim_about_the_other_sides_dead_stands_beside_a_report_of_ones_own():
    text = "The KIA claimed to have killed 6 Myanmar army soldiers, and the army said two KIA fighters were killed."
    assert parse_casualties(text).fatalities == 8
    # the same dead told twice: the plain report wins over the claim
    text = "The rebels claimed to have killed 12 soldiers; the army said 2 soldiers were killed."
    assert parse_casualties(text).fatalities == 2


def test_a_person_the_parse_hangs_on_the_victims_ages_is_one_more():
    text = "A mortar round hit a madrasa on Sunday, wounding six boys aged between 8 and 13 and a cleric."
    assert parse_casualties(text).injured == 7
