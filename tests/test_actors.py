"""Who did it and to whom, on news-style sentences we wrote for each conflict the data files cover.

Each sentence is checked through `find_actors` as the incident builder calls it: the event's
sub-type and the country of its place. The conflict knowledge comes from
mapper/nlp/data/conflicts/*.tsv; these tests pin the grammar that picks among the mentions.
"""

from __future__ import annotations

import pytest

from mapper.nlp import actors, conflicts
from mapper.nlp.actors import actor_spans, choose_actors, diplomacy_actors, find_actors, is_armed_actor_text, second_force
from mapper.nlp.places import trusted_mentions
from mapper.records import Mention

CLASH = "Armed clash"
AIR = "Air/drone strike"
SHELL = "Shelling/artillery/missile attack"
ATTACK = "Attack"
ABDUCT = "Abduction/forced disappearance"
SUICIDE = "Suicide bomb"

# (sentence, sub-event type, country of the event's place, actor1, actor2)
CASES = [
    # Ukraine / Russia: demonyms, weapons only one side uses, a leader's forces, a state that says it struck
    ("Russian forces shelled Kherson overnight, killing two people, the regional governor said.", SHELL, "UA",
     "Russian forces", None),
    ("A Geran drone slammed into an apartment block in Kharkiv before dawn.", AIR, "UA", "Russian forces", None),
    ("Ukraine said it had hit an oil depot in Bryansk with Neptune missiles.", SHELL, "RU", "Ukrainian forces", None),
    ("Putin's forces pounded the outskirts of Zaporizhzhia with glide bombs.", AIR, "UA", "Russian forces", None),
    ("Fighters of the Russian Volunteer Corps clashed with Russian troops near the border village.", CLASH, "RU",
     "Russian Volunteer Corps", "Russian forces"),
    # Gaza, Israel, the West Bank
    ("Israeli airstrikes killed 12 people in Khan Younis, the Hamas-run health ministry said.", AIR, "PS",
     "Israeli forces", None),
    ("Hamas's armed wing, the Qassam Brigades, said its fighters ambushed Israeli troops in Rafah.", CLASH, "PS",
     "Hamas", "Israeli forces"),
    ("Settlers set fire to homes and cars in a village near Ramallah, residents said.", ATTACK, "PS",
     "Israeli settlers", None),
    ("Qassam rockets fired from Gaza landed in open areas near Sderot.", SHELL, "IL", "Hamas", None),
    # Lebanon
    ("Hezbollah said it launched drones at an Israeli army base near Safed.", AIR, "IL", "Hezbollah", None),
    ("UNIFIL peacekeepers came under fire near Naqoura.", CLASH, "LB", None, None),
    # Syria
    ("Fighting between the SDF and Turkish-backed factions near Manbij killed five fighters.", CLASH, "SY",
     "Syrian Democratic Forces", "Syrian National Army"),
    ("Islamic State gunmen ambushed a General Security convoy in the Badia desert.", CLASH, "SY",
     "Islamic State (Syria)", "Syrian government forces"),
    ("Druze fighters and Bedouin tribal fighters exchanged fire in Suwayda province.", CLASH, "SY",
     "Druze militias", "Bedouin tribal fighters"),
    # Yemen
    ("The Houthis said they fired a ballistic missile at Israel.", SHELL, "IL", "Houthis", None),
    ("US forces struck Houthi targets around the port of Hodeidah.", AIR, "YE", "US forces", None),
    ("A Saudi-led coalition airstrike hit a market in Saada province.", AIR, "YE", "Saudi-led coalition", None),
    # Sudan
    ("The Sudanese army said it had repelled an attack by the Rapid Support Forces on El Obeid.", CLASH, "SD",
     "Sudanese Armed Forces", "Rapid Support Forces"),
    ("Hemedti's fighters stormed the camp at dawn, killing dozens, local activists said.", ATTACK, "SD",
     "Rapid Support Forces", None),
    ("Joint Forces allied with the army clashed with the RSF west of El Fasher.", CLASH, "SD", "Joint Forces",
     "Rapid Support Forces"),
    # DR Congo
    ("AFC/M23 fighters clashed with the FARDC and Wazalendo militias near Masisi.", CLASH, "CD", "M23",
     "Congolese armed forces"),
    ("ADF rebels killed 40 villagers with machetes in Lubero territory.", ATTACK, "CD", "Allied Democratic Forces", None),
    ("CODECO militiamen attacked a displacement camp in Djugu territory.", ATTACK, "CD", "CODECO", None),
    # Sahel
    ("JNIM fighters ambushed a convoy of Malian soldiers and Africa Corps mercenaries near Kayes.", CLASH, "ML",
     "JNIM", "Malian armed forces"),
    ("The Islamic State Sahel Province claimed an attack that killed 20 Nigerien soldiers near Tillaberi.", CLASH, "NE",
     "Islamic State Sahel Province", "Nigerien armed forces"),
    ("VDP volunteers and Burkinabe soldiers repelled a JNIM assault on Djibo.", CLASH, "BF",
     "Volunteers for the Defence of the Homeland", "JNIM"),
    ("Mali's junta said the army had killed dozens of terrorists near Timbuktu.", CLASH, "ML", "Malian armed forces", None),
    # Somalia
    ("Al-Shabaab militants attacked a military base in Lower Shabelle, the Somali National Army said.", CLASH, "SO",
     "al-Shabaab", "Somali armed forces"),
    ("Puntland Dervish forces took control of an Islamic State hideout in the Cal Miskaad mountains.", CLASH, "SO",
     "Puntland Dervish Force", "Islamic State Somalia Province"),
    ("Ma'awisley clan fighters clashed with Harakat al-Shabaab near Jalalaqsi.", CLASH, "SO", "Macawisley militia",
     "al-Shabaab"),
    ("Government security forces (NISA) raided an Al Shabaab hideout near Afgooye.", CLASH, "SO",
     "National Intelligence and Security Agency", "al-Shabaab"),
    ("AUSSOM troops shelled Al Shabaab positions near Marka.", SHELL, "SO", "AUSSOM", None),
    # Nigeria
    ("ISWAP fighters overran a military base in Borno state, killing several soldiers.", CLASH, "NG", "ISWAP", None),
    ("Bandits loyal to Bello Turji abducted 30 villagers in Zamfara.", ABDUCT, "NG", "Bandits", None),
    ("Lakurawa militants killed 12 herders in Kebbi state.", ATTACK, "NG", "Lakurawa", None),
    ("Boko Haram fighters attacked a fishing community on the shores of Lake Chad.", ATTACK, "NG", "Boko Haram", None),
    # Pakistan and Afghanistan
    ("TTP militants stormed a police station in Bannu, killing three policemen.", CLASH, "PK",
     "Tehrik-i-Taliban Pakistan", None),
    ("BLA fighters attacked a passenger train in Balochistan.", ATTACK, "PK", "Baloch Liberation Army", None),
    ("The Hafiz Gul Bahadur group claimed the suicide bombing in North Waziristan.", SUICIDE, "PK",
     "Hafiz Gul Bahadur group", None),
    ("Taliban forces and Pakistani troops exchanged fire at the Torkham crossing.", CLASH, "AF", "Afghan armed forces",
     "Pakistani armed forces"),
    ("IS-K claimed a suicide attack on a mosque in Kunduz.", SUICIDE, "AF", "Islamic State Khorasan Province", None),
    # Myanmar
    ("Junta airstrikes killed 15 people in Sagaing region, a local PDF said.", AIR, "MM", "Myanmar military", None),
    ("The Arakan Army said it captured the town after weeks of fighting.", CLASH, "MM", "Arakan Army", None),
    ("TNLA troops clashed with regime forces in northern Shan State.", CLASH, "MM", "Ta'ang National Liberation Army",
     "Myanmar military"),
    ("KIA fighters seized a military outpost near Bhamo.", CLASH, "MM", "Kachin Independence Army", None),
    # Colombia
    ("ELN guerrillas attacked a military base in Arauca with explosives-laden drones.", AIR, "CO", "ELN", None),
    ("Clan del Golfo gunmen killed a social leader in Antioquia.", ATTACK, "CO", "Clan del Golfo", None),
    ("Fighters loyal to Ivan Mordisco clashed with the ELN in Catatumbo.", CLASH, "CO", "Estado Mayor Central", "ELN"),
    # Ethiopia
    ("Fano militiamen ambushed federal forces near Gondar.", CLASH, "ET", "Fano", "Ethiopian armed forces"),
    ("The OLA said its fighters killed 12 ENDF soldiers in western Oromia.", CLASH, "ET", "Oromo Liberation Army",
     "Ethiopian armed forces"),
    # Haiti
    ("Viv Ansanm gangs attacked the town of Mirebalais, burning homes and the police station.", ATTACK, "HT",
     "Viv Ansanm", None),
    ("400 Mawozo gang members kidnapped a pastor in Croix-des-Bouquets.", ABDUCT, "HT", "400 Mawozo", None),
    ("Armed gangs torched houses in Solino overnight.", ATTACK, "HT", "Gangs", None),
    # Iraq
    ("Kataib Hezbollah claimed a drone attack on a US base in western Iraq.", AIR, "IQ", "Kataib Hezbollah", None),
    ("Turkish warplanes struck suspected PKK positions in the Qandil mountains.", AIR, "IQ", "Turkish forces", None),
    # Mozambique
    ("Al-Shabaab insurgents beheaded four villagers in Macomia district.", ATTACK, "MZ",
     "Islamic State Mozambique Province", None),
    ("Rwandan troops and the Mozambican army recaptured the town from the insurgents.", CLASH, "MZ",
     "Rwandan armed forces", "Mozambican armed forces"),
    # Iran, Israel, the United States
    ("The IRGC said it fired Fattah missiles at targets in Israel.", SHELL, "IL", "Iranian forces", None),
    ("Israeli jets struck IRGC bases near Tehran.", AIR, "IR", "Israeli forces", None),
    ("B-2 bombers dropped bunker busters on the Fordow enrichment site.", AIR, "IR", "US forces", None),
    # generic actors, made specific by the event's country where the data knows its forces
    ("Unidentified gunmen shot dead a trader in the market.", ATTACK, "KE", "Unidentified armed group", None),
    ("Government troops shelled the rebel-held district.", SHELL, "SO", "Somali armed forces", None),
    ("Hundreds of residents protested against the new tax.", "Peaceful protest", "SO", "Protesters", None),
    ("Police fired tear gas at protesters who blocked the road to the airport.", "Protest with intervention", "KE",
     "Protesters", None),
]


@pytest.mark.parametrize("sentence, sub, country, actor1, actor2", CASES, ids=[c[0][:50] for c in CASES])
def test_actors_per_conflict(sentence, sub, country, actor1, actor2):
    assert find_actors(sentence, sub_event_type=sub, location_country=country) == (actor1, actor2)


@pytest.mark.parametrize("sentence, country, actor1", [
    # One name, two groups: the event's country decides.
    ("Al-Shabaab insurgents attacked a village at dawn.", "SO", "al-Shabaab"),
    ("Al-Shabaab insurgents attacked a village at dawn.", "MZ", "Islamic State Mozambique Province"),
    ("Al-Shabaab insurgents attacked a village at dawn.", None, "al-Shabaab"),  # the group's own name wins
    ("Taliban fighters attacked a checkpoint.", "PK", "Tehrik-i-Taliban Pakistan"),
    ("Taliban fighters attacked a checkpoint.", "AF", "Afghan armed forces"),
    ("VDP fighters attacked a village.", "BF", "Volunteers for the Defence of the Homeland"),
    ("VDP fighters attacked a village.", "CD", "Wazalendo"),
    ("Shahed drones hit the power station.", "UA", "Russian forces"),
    ("Shahed drones hit the power station.", "IL", "Iranian forces"),
    ("Bayraktar drones hit the convoy.", "SD", "Sudanese Armed Forces"),
    ("Islamic State fighters attacked the prison.", "NG", "ISWAP"),
    ("Islamic State fighters attacked the prison.", "IQ", "Islamic State (Iraq)"),
])
def test_one_name_two_actors_resolved_by_country(sentence, country, actor1):
    assert find_actors(sentence, sub_event_type=ATTACK, location_country=country)[0] == actor1


def test_other_actors_in_the_text_resolve_a_name_without_a_country():
    # Mozambican troops in the sentence point to Cabo Delgado's insurgents, not Somalia's.
    text = "Mozambican troops clashed with al-Shabaab near Mocimboa da Praia."
    assert find_actors(text, sub_event_type=CLASH) == ("Mozambican armed forces", "Islamic State Mozambique Province")


def test_a_name_nothing_tells_apart_is_left_unset():
    assert find_actors("Shahed drones hit the power station.", sub_event_type=AIR) == (None, None)


@pytest.mark.parametrize("sentence, country", [
    ("The junta extended the state of emergency in Bamako.", "ML"),  # Mali's junta is not Myanmar's military
    ("Joint Forces Task Force units repelled the assault near Kupiansk.", "UA"),  # not Sudan's Joint Forces
])
def test_common_words_do_not_name_another_conflicts_actor(sentence, country):
    a1, a2 = find_actors(sentence, sub_event_type=CLASH, location_country=country)
    assert a1 not in ("Myanmar military", "Joint Forces") and a2 not in ("Myanmar military", "Joint Forces")


def test_disrupted_weapons_owner_and_defender():
    text = "Russia said it shot down 41 Ukrainian drones over the Bryansk and Kursk regions."
    assert find_actors(text, sub_event_type="Disrupted weapons use", location_country="RU") == (
        "Ukrainian forces", "Russian forces")
    text = "Shahed drones were shot down over Kyiv overnight."
    assert find_actors(text, sub_event_type="Disrupted weapons use", location_country="UA") == (
        "Russian forces", "Ukrainian forces")


def test_demonyms_beyond_the_data_come_from_the_gazetteer(gazetteer):
    text = "Cypriot troops fired warning shots at the boat."
    assert find_actors(text, sub_event_type=ATTACK) == ("Government forces", None)  # whose, unknown
    assert find_actors(text, sub_event_type=ATTACK, demonym=gazetteer.demonym) == ("Cypriot forces", None)


def test_the_trace_names_the_rule_and_the_data_line():
    choice = choose_actors("The RSF shelled the town, a rights group said.", sub_event_type=SHELL, location_country="SD")
    trace = choice.trace()
    assert trace["actor1"]["actor"] == "Rapid Support Forces" and trace["actor1"]["rule"] == "named"
    assert trace["actor1"]["conflict"] == "sudan" and trace["actor1"]["source"].startswith("conflicts/sudan.tsv:")
    path, line = trace["actor1"]["source"].rsplit(":", 1)
    row = conflicts.builtin_files()[[o for o, _ in conflicts.builtin_files()].index(path)][1].splitlines()[int(line) - 1]
    assert row.startswith("Rapid Support Forces\t") and "RSF" in row


@pytest.mark.parametrize("text, armed", [
    ("RSF fighters entered the market.", True),
    ("Houthi forces fired at the ship.", True),
    ("Gunmen opened fire on the bus.", True),
    ("Russian assault units advanced on the village.", True),
    ("Shahed drones buzzed over the city.", True),
    ("Police dispersed the protesters with tear gas.", False),
    ("He was charged with assault causing harm.", False),
    ("The Russian-speaking town voted on Sunday.", False),
])
def test_is_armed_actor_text(text, armed):
    assert is_armed_actor_text(text) is armed


@pytest.mark.parametrize("text", ["Hamas", "Hezbollah", "Wagner", "Fano", "Taliban", "al-Shabaab", "Lakurawa", "Hemedti"])
def test_group_and_leader_names_are_actor_spans(text):
    (span,) = actor_spans(text)
    assert span[:2] == (0, len(text))


@pytest.mark.parametrize("text", ["Russia", "Somalia", "Kharkiv", "Mogadishu"])
def test_country_and_town_names_are_not_actor_spans(text):
    assert actor_spans(text) == []


def test_a_group_name_is_never_a_place(gazetteer):
    """ "Hamas" read as Hamm (Germany), "Fano" as Fano (Italy): dropped; a real town stays."""
    hamm, fano, sderot = gazetteer.geocode("Hamm", country="DE"), gazetteer.geocode("Fano", country="IT"), gazetteer.geocode("Sderot")
    mentions = [Mention("Hamas", 0, 5, hamm), Mention("Fano", 20, 24, fano), Mention("Sderot", 40, 46, sderot)]
    kept = trusted_mentions(mentions, {"IL", "DE", "IT"})
    assert [m.text for m in kept] == ["Sderot"]


@pytest.mark.parametrize("text, sub, parties", [
    ("Russian and Ukrainian delegations will meet in Geneva on Tuesday for U.S.-brokered talks.", "Negotiations",
     ("Russia", "Ukraine")),
    ("Hamas and Israeli negotiators resumed talks in Doha on Monday, mediated by Qatar.", "Negotiations",
     ("Hamas", "Israel")),
    ("Envoys of the Sudanese army and the RSF met in Jeddah for ceasefire talks.", "Negotiations",
     ("Sudan", "Rapid Support Forces")),
    ("Trump and Putin will hold a summit in Budapest.", "Negotiations", ("United States", "Russia")),
])
def test_diplomacy_parties(text, sub, parties):
    assert diplomacy_actors(text, sub, 0) == parties


def test_forces_and_demonyms_come_from_the_data():
    assert actors.FORCES["RU"] == "Russian forces" and actors.FORCES["SD"] == "Sudanese Armed Forces"
    assert actors.DEMONYMS["burmese"] == "MM" and actors.DEMONYMS["u.s."] == "US"
    assert second_force("Russian and Ukrainian troops fought for the village.", "Russian forces") == "Ukrainian forces"
