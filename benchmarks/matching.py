"""Benchmark of ``screening.matching`` against a naive full scan, on a synthetic register.

Run ``python -m benchmarks.matching`` (default sizes 10k, 100k, 1M) or ``--quick`` (10k only,
under a minute, for CI). Prints one markdown table: index build time and memory, single-query
latency p50/p95, batch throughput, and quality on labelled variants for the engine and for a
full ``rapidfuzz.process.cdist`` scan of the register's normalised names.

The register is Dutch-looking (Faker ``nl_NL`` name and street lists, resampled with a skewed
Zipf-like frequency so that "de Jong" and "Jansen" are common and most names rare, plus a long
tail of composed Dutch surnames) with foreign residents (Polish, Romanian, Bulgarian,
Ukrainian in Cyrillic, Moroccan and Turkish names). Queries are either a *listed* entity
rewritten with real-world errors (typos, initials, roepnamen, swapped fields, partner names,
transliterations, dropped particles, missing or day/month-swapped birth dates, moved or
reformatted addresses, legal forms, word order) or an *unlisted* applicant drawn from the same
population, who may share a name with register entries. The variant generator knows nothing of
the engine's keys or weights.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import random
import string
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from anyascii import anyascii

from screening.matching import REVIEW_THRESHOLD, Address, AddressRecord, Matcher, Organisation, Person
from screening.matching import normalise as nm


def _words(text: str, sep: str | None = None) -> list[str]:
    return text.split(sep)


# ---------------------------------------------------------------------------------------------
# Name pools
# ---------------------------------------------------------------------------------------------

_TOP_SURNAMES = _words(
    "de Jong|Jansen|de Vries|van den Berg|van Dijk|Bakker|Janssen|Visser|Smit|Meijer|de Boer|Mulder|"
    "de Groot|Bos|Vos|Peters|Hendriks|van Leeuwen|Dekker|Brouwer|de Wit|Dijkstra|Smits|de Graaf|"
    "van der Meer|van der Linden|Kok|Jacobs|de Haan|Vermeulen|van den Heuvel|van der Veen|"
    "van den Broek|de Bruijn|de Bruin|van der Heijden|Schouten|van Beek|Willems|van Vliet|van de Ven|"
    "Hoekstra|Maas|Verhoeven|Koster|van Dam|van der Wal|Prins|Blom|Huisman|Peeters|de Jonge|Kuipers|"
    "van Veen|Post|Kuiper|Veenstra|Kramer|van den Brink|Scholten|van Wijk|Postma|Martens|Vink|de Ruiter",
    "|",
)
_SURNAME_HEADS = _words(
    "Ooster Wester Noorder Zuider Hoog Klein Groot Zand Brink Vel Hout Bos Veld Kamp Stroo Harde "
    "Bloem Linde Eike Beuke Wolter Roel Geert Harm Jelle Sieb Tjeer Wiebe Hiem Rietvel Kooi Mole "
    "Steen Water Berg Dal Ham Over Neder Hulst Esch Lin Riet Wind Vlie Braak Ploeg Smeen Dijk Slot"
)
_SURNAME_TAILS = _words(
    "berg dijk veen hout broek kamp man sma stra inga huis horst hof beek meijer ink ing link "
    "kema mans sen stein veld werf wijk zijl land holt erink"
)
_TOP_GIVEN = _words(
    "Johannes Cornelis Hendrik Jan Willem Pieter Petrus Gerrit Jacobus Dirk Maria Anna Johanna "
    "Wilhelmina Cornelia Hendrika Elisabeth Catharina Margaretha Geertruida Peter Kees Henk Wim "
    "Jeroen Mark Bas Thomas Daan Sem Lucas Emma Sophie Julia Lisa Anouk Sanne Eva Fleur Lotte"
)

# Foreign names: (register spelling, other spellings seen on forms and in other sources).
_FOREIGN: dict[str, dict[str, Any]] = {
    "PL": {
        "given": {"Łukasz": ["Lukasz"], "Paweł": ["Pawel"], "Michał": ["Michal"], "Krzysztof": [],
                  "Piotr": [], "Tomasz": [], "Agnieszka": [], "Małgorzata": ["Malgorzata"],
                  "Katarzyna": [], "Wojciech": [], "Grzegorz": [], "Magdalena": []},
        "surname": {"Kowalski": ["Kovalski"], "Nowak": [], "Wiśniewski": ["Wisniewski"],
                    "Wójcik": ["Wojcik"], "Kowalczyk": [], "Kamiński": ["Kaminski"],
                    "Lewandowski": [], "Zieliński": ["Zielinski"], "Szymański": ["Szymanski"],
                    "Woźniak": ["Wozniak"], "Dąbrowski": ["Dabrowski"], "Kozłowski": ["Kozlowski"],
                    "Jankowski": [], "Mazur": [], "Krawczyk": [], "Piotrowski": [], "Grabowski": []},
    },
    "RO": {
        "given": {"Ștefan": ["Stefan", "Ştefan"], "Ion": [], "Andrei": [], "Mihai": [], "Ioana": [],
                  "Elena": [], "Gheorghe": [], "Vasile": [], "Cristina": [], "Florin": []},
        "surname": {"Popescu": [], "Ionescu": [], "Popa": [], "Constantin": [], "Stan": [],
                    "Dumitrescu": [], "Munteanu": [], "Ștefănescu": ["Stefanescu"], "Rădulescu":
                    ["Radulescu"], "Lungu": [], "Gheorghiu": []},
    },
    "BG": {
        "given": {"Георги": ["Georgi"], "Иван": ["Ivan"], "Димитър": ["Dimitar"], "Мария": ["Maria"],
                  "Николай": ["Nikolay", "Nikolai"], "Петър": ["Petar"], "Елена": ["Elena"]},
        "surname": {"Иванов": ["Ivanov"], "Петров": ["Petrov"], "Георгиев": ["Georgiev"],
                    "Димитров": ["Dimitrov"], "Николов": ["Nikolov"], "Стоянов": ["Stoyanov",
                    "Stojanov"], "Христов": ["Hristov", "Christov"], "Тодоров": ["Todorov"]},
    },
    "UA": {
        "given": {"Олександр": ["Oleksandr", "Aleksandr"], "Андрій": ["Andriy", "Andrij"],
                  "Тарас": ["Taras"], "Наталія": ["Nataliya", "Natalia"], "Юлія": ["Yuliya", "Julia"],
                  "Дмитро": ["Dmytro"], "Олена": ["Olena"]},
        "surname": {"Шевченко": ["Shevchenko", "Sjevtsjenko", "Szewczenko"],
                    "Коваленко": ["Kovalenko"], "Бондаренко": ["Bondarenko"],
                    "Ткаченко": ["Tkachenko", "Tkatsjenko"], "Кравченко": ["Kravchenko", "Kravtsjenko"],
                    "Мельник": ["Melnyk", "Melnik"], "Бойко": ["Boyko", "Bojko"],
                    "Коваль": ["Koval"], "Шевчук": ["Shevchuk", "Sjevtsjoek"]},
    },
    "MA": {
        "given": {"Mohammed": ["Muhammad", "Mohamed", "Mohamad"], "Ahmed": ["Ahmad"],
                  "Youssef": ["Yusuf", "Youssouf"], "Fatima": ["Fatma"], "Khadija": ["Khadidja"],
                  "Rachid": ["Rashid"], "Said": ["Saïd"], "Karim": [], "Nadia": [], "Abdelkader": [],
                  "Mustafa": ["Mustapha"], "Hamza": []},
        "surname": {"El Amrani": ["Amrani", "El-Amrani"], "Benali": ["Ben Ali"], "Bouzid": [],
                    "El Idrissi": ["Idrissi"], "Azzouzi": ["Azouzi"], "Boukhari": ["Bouchari"],
                    "El Khatib": ["El Chatib"], "Ouali": [], "Tahiri": [], "Chaouch": ["Shaouch"],
                    "Belhaj": ["Belhadj"], "Ziani": []},
    },
    "TR": {
        "given": {"Mehmet": [], "Mustafa": [], "Ayşe": ["Ayse"], "Emine": [], "Hüseyin": ["Huseyin"],
                  "Fatma": [], "Murat": [], "Ömer": ["Omer"]},
        "surname": {"Yılmaz": ["Yilmaz"], "Kaya": [], "Demir": [], "Şahin": ["Sahin"],
                    "Çelik": ["Celik"], "Yıldız": ["Yildiz"], "Öztürk": ["Ozturk"], "Aydın": ["Aydin"],
                    "Arslan": [], "Doğan": ["Dogan"]},
    },
}
# Composed surnames give the foreign populations a realistic long tail (real Polish, Romanian or
# Ukrainian surname sets run into the tens of thousands; a dozen names would make everybody a
# namesake of everybody).
_FOREIGN_ROOTS = _words(
    "Bar Bial Chmiel Czer Dob Gor Grab Jas Kacz Kowal Krol Kur Lis Mal Mar Nov Ols Pas Piet Rad Rog "
    "Sad Sik Sok Sos Stan Suk Szew Tar Wal Wil Wit Wol Zaj Zar Bog Dud Fil Hryn Ivan Kar Kost Kuz "
    "Lev Luk Mel Mych Nest Ost Pav Petr Rom Sav Sem Sid Step Tym Vas Vol Yak Zah"
)
_FOREIGN_SUFFIXES = {
    "PL": ("owski", "ewski", "inski", "czyk", "iak", "ecki", "owicz", "ak"),
    "RO": ("escu", "eanu", "aru", "ache", "ilescu"),
    "BG": ("ov", "ev", "ova", "eva", "anov", "ichkov"),
    "UA": ("enko", "chuk", "iuk", "ovych", "yshyn", "ak"),
    "TR": ("oglu", "can", "kaya", "dag", "ci", "er"),
}
_MA_PREFIXES = ("El ", "Ben", "Bou", "Ait ", "Al ", "")
_MA_ROOTS = _words(
    "Amrani Idrissi Hamdaoui Bakkali Khattabi Ouahabi Mansouri Ghazali Fassi Tazi Alaoui Chaoui "
    "Haddouchi Zerouali Azzouz Kaddour Mokhtar Nouri Rahmouni Slimani Yahyaoui Zaari Bennani Chraibi"
)

_FOREIGN_SHARE = {"PL": 0.07, "RO": 0.04, "BG": 0.03, "UA": 0.03, "MA": 0.05, "TR": 0.03}
_NICK = {"Johannes": "Jan", "Cornelis": "Kees", "Petrus": "Piet", "Hendrik": "Henk", "Willem": "Wim",
         "Jacobus": "Jaap", "Gerardus": "Gerrit", "Maria": "Ria", "Johanna": "Jo", "Elisabeth": "Els",
         "Wilhelmina": "Mien", "Theodorus": "Dirk", "Antonius": "Ton", "Franciscus": "Frans"}
_SECTORS = _words(
    "Bouwbedrijf Schoonmaakbedrijf Uitzendbureau Transport Horeca Massagesalon Beautysalon Nagelstudio "
    "Vastgoed Logistiek Autobedrijf Kapsalon Shishalounge Cafetaria Koeriersdienst Installatiebedrijf "
    "Handelsonderneming Recycling Vleesverwerking Tuinbouw Champignonkwekerij Belwinkel Snackbar "
    "Taxibedrijf Huisvesting Arbeidsbemiddeling Sloopbedrijf Bloemenkwekerij Bakkerij Slagerij Wasserette"
)
_FANCY = _words(
    "Zonnebloem Eikenhof Rode Roos Paradise Golden Diamond Star Royal Prime Noorderlicht Horizon "
    "Phoenix Atlas Orion Lotus Venus Oase Amber Saffier Platina Delta Omega Polaris Aurora Titan"
)
_PLACES = _words("Noord Zuid Oost West Drenthe Assen Emmen Hoogeveen Meppel Coevorden Groningen Zwolle")
_LEGAL = [("B.V.", 0.45), ("", 0.2), ("V.O.F.", 0.1), ("Stichting", 0.05), ("Holding B.V.", 0.08),
          ("N.V.", 0.02), ("C.V.", 0.02), ("Eenmanszaak", 0.08)]
_FOREIGN_LEGAL = {"PL": "Sp. z o.o.", "RO": "S.R.L.", "BG": "EOOD", "UA": "TOV", "TR": "Ltd. Şti.",
                  "MA": "SARL"}
_LEGAL_SPELLED = {"B.V.": ["BV", "B.V", "Besloten Vennootschap", "bv"], "V.O.F.": ["VOF", "vof",
                  "Vennootschap onder firma"], "N.V.": ["NV", "Naamloze Vennootschap"],
                  "Stichting": ["Stg.", "stichting"], "C.V.": ["CV"]}


def _composed_surname(origin: str, r: random.Random) -> str:
    if origin == "MA":
        prefix, root = r.choice(_MA_PREFIXES), r.choice(_MA_ROOTS)
        return f"{prefix}{root.lower() if prefix and not prefix.endswith(' ') else root}"
    return r.choice(_FOREIGN_ROOTS) + r.choice(_FOREIGN_SUFFIXES[origin])


def _zipf_weights(n: int, offset: float = 60.0, power: float = 1.05) -> list[float]:
    return [1.0 / (r + offset) ** power for r in range(n)]


def _cum(weights: Sequence[float]) -> list[float]:
    out, total = [], 0.0
    for w in weights:
        total += w
        out.append(total)
    return out


class Pools:
    """Name, street and city pools with skewed frequencies; built once per seed."""

    def __init__(self, seed: int = 7) -> None:
        from faker.providers.address.nl_NL import Provider as AddressProvider
        from faker.providers.person.nl_NL import Provider as PersonProvider

        rng = random.Random(seed)
        faker_last = [n for n in PersonProvider.last_names if "," not in n and len(n) < 25]
        composed = sorted({h + t for h in _SURNAME_HEADS for t in _SURNAME_TAILS})
        rng.shuffle(faker_last)
        rng.shuffle(composed)
        prefixes = ["van", "de", "van der", "van den", "van de", "ter", "ten", "te"]
        with_prefix = [f"{rng.choice(prefixes)} {n}" for n in composed[: len(composed) // 5]]
        self.surnames = list(dict.fromkeys(_TOP_SURNAMES + faker_last + composed + with_prefix))
        self.surname_cum = _cum(_zipf_weights(len(self.surnames)))
        given_m = list(dict.fromkeys(_TOP_GIVEN[:10] + list(PersonProvider.first_names_male)))
        given_f = list(dict.fromkeys(_TOP_GIVEN[10:] + list(PersonProvider.first_names_female)))
        rng.shuffle(given_m[10:])
        self.given = given_m + given_f
        self.given_cum = _cum(_zipf_weights(len(self.given), offset=15.0, power=1.0))
        self.streets = sorted({f"{rng.choice(self.given)}{s}" for s in AddressProvider.street_suffixes
                               for _ in range(60)} | {"Kerkstraat", "Dorpsstraat", "Stationsweg",
                                                      "Molenweg", "Hoofdstraat", "Schoolstraat"})
        self.cities = list(AddressProvider.cities)

    def surname(self, rng: random.Random) -> str:
        return self.surnames[_bisect(self.surname_cum, rng.random() * self.surname_cum[-1])]

    def given_name(self, rng: random.Random) -> str:
        return self.given[_bisect(self.given_cum, rng.random() * self.given_cum[-1])]


def _bisect(cum: list[float], x: float) -> int:
    lo, hi = 0, len(cum) - 1
    while lo < hi:
        mid = (lo + hi) // 2
        if cum[mid] < x:
            lo = mid + 1
        else:
            hi = mid
    return lo


# ---------------------------------------------------------------------------------------------
# Entities
# ---------------------------------------------------------------------------------------------


@dataclass
class Truth:
    """A generated entity with what the variant generator may need (original spellings)."""

    record: Any
    origin: str = "NL"
    given_alts: dict[str, list[str]] = field(default_factory=dict)
    surname_alts: list[str] = field(default_factory=list)


class Generator:
    """Deterministic fast sampler of register entities and their query variants."""

    def __init__(self, pools: Pools, seed: int) -> None:
        self.p = pools
        self.rng = random.Random(seed)
        self._kvk = 10_000_000 + self.rng.randrange(1_000_000)
        self._bsn = 100_000_000 + self.rng.randrange(1_000_000)

    # -- pieces -------------------------------------------------------------------------------

    def _dob(self) -> dt.date:
        return dt.date(1950, 1, 1) + dt.timedelta(days=self.rng.randrange(365 * 55))

    def address(self) -> Address:
        r = self.rng
        suffix = r.choice(["", "", "", "", "", "", "a", "b", "A", "1", "II", "bis"])
        pc = f"{r.randrange(1000, 10000)}{r.choice(string.ascii_uppercase)}{r.choice(string.ascii_uppercase)}"
        return Address(street=r.choice(self.p.streets), house_number=str(r.randrange(1, 250)),
                       house_number_suffix=suffix, postcode=pc, city=r.choice(self.p.cities))

    def _next_kvk(self) -> str:
        self._kvk += self.rng.randrange(1, 40)
        return str(self._kvk)

    def _next_bsn(self) -> str:
        self._bsn += self.rng.randrange(1, 40)
        return str(self._bsn)

    def person(self, pid: Any) -> Truth:
        r = self.rng
        x = r.random()
        origin = "NL"
        for country, share in _FOREIGN_SHARE.items():
            if x < share:
                origin = country
                break
            x -= share
        given_alts: dict[str, list[str]] = {}
        if origin == "NL":
            n_given = r.choices((1, 2, 3), (0.35, 0.45, 0.2))[0]
            given = [self.p.given_name(r) for _ in range(n_given)]
            surname = self.p.surname(r)
            surname_alts: list[str] = []
            if r.random() < 0.05:
                surname = f"{surname}-{self.p.surname(r)}"
        else:
            pool = _FOREIGN[origin]
            given = [r.choice(list(pool["given"]))]
            if r.random() < 0.3:
                given.append(r.choice(list(pool["given"])))
            if r.random() < 0.3:
                surname = r.choice(list(pool["surname"]))
                surname_alts = list(pool["surname"][surname])
            else:
                surname, surname_alts = _composed_surname(origin, r), []
            given_alts = {g: list(pool["given"][g]) for g in given}
            # The register holds an already transliterated form as often as the original.
            if surname_alts and r.random() < 0.5:
                surname, surname_alts = surname_alts[0], [surname, *surname_alts[1:]]
        prefix, core = "", surname
        parts = surname.split(" ")
        if len(parts) > 1 and parts[0] in nm.PARTICLES and r.random() < 0.5:
            # Half of the sources keep the tussenvoegsel in its own field.
            prefix = " ".join(p for p in parts if p in nm.PARTICLES)
            core = " ".join(p for p in parts if p not in nm.PARTICLES)
        record = Person(
            id=pid, given_names=" ".join(given), surname_prefix=prefix, surname=core,
            birth_date=self._dob() if r.random() < 0.92 else None,
            nationality=origin if r.random() < 0.7 else "",
            address=self.address() if r.random() < 0.85 else None,
            identifiers={"bsn": self._next_bsn()} if r.random() < 0.2 else None,
        )
        return Truth(record, origin, given_alts, surname_alts)

    def organisation(self, oid: Any) -> Truth:
        r = self.rng
        origin = "NL" if r.random() < 0.9 else r.choice(list(_FOREIGN))
        style = r.random()
        sn = self.p.surname(r)
        if origin != "NL":
            sn = r.choice(list(_FOREIGN[origin]["surname"]))
        if style < 0.35:
            name = f"{r.choice(_SECTORS)} {sn}"
        elif style < 0.5:
            name = f"{sn} {r.choice(_SECTORS)}"
        elif style < 0.62:
            name = f"{sn} & {self.p.surname(r)}"
        elif style < 0.8:
            # Trade names built from stock words carry a place or owner to be told apart.
            name = f"{r.choice(_FANCY)} {r.choice(_SECTORS)}"
            name += f" {r.choice(self.p.cities) if r.random() < 0.7 else self.p.given_name(r)}"
        elif style < 0.9:
            name = f"{self.p.given_name(r)} {sn}"
        else:
            name = f"{r.choice(_FANCY)} {r.choice(_FANCY)} {r.choice(self.p.cities)}"
        legal = _FOREIGN_LEGAL[origin] if origin != "NL" else r.choices(
            [f for f, _w in _LEGAL], [w for _f, w in _LEGAL])[0]
        if legal == "Stichting":
            name, legal = f"Stichting {name}", ""
        elif legal == "Holding B.V.":
            name, legal = f"{name} Holding", "B.V."
        record = Organisation(id=oid, name=f"{name} {legal}".strip() if r.random() < 0.5 else name,
                              legal_form=legal if r.random() < 0.5 else "",
                              kvk_number=self._next_kvk() if r.random() < 0.7 else "",
                              address=self.address() if r.random() < 0.8 else None)
        return Truth(record, origin)

    def address_record(self, aid: Any) -> Truth:
        return Truth(AddressRecord(aid, self.address()))

    def entity(self, eid: Any) -> Truth:
        x = self.rng.random()
        if x < 0.7:
            return self.person(eid)
        if x < 0.9:
            return self.organisation(eid)
        return self.address_record(eid)

    # -- variants -----------------------------------------------------------------------------

    def _typo(self, word: str) -> str:
        r = self.rng
        if len(word) < 4:
            return word
        i = r.randrange(1, len(word) - 1)
        op = r.random()
        if op < 0.3:
            return word[:i] + r.choice("aeioulnrst") + word[i + 1:]
        if op < 0.55:
            return word[:i] + word[i + 1:]
        if op < 0.8:
            return word[:i] + r.choice("aeioulnrst") + word[i:]
        return word[:i - 1] + word[i] + word[i - 1] + word[i + 1:]

    def _address_variant(self, a: Address | None) -> Address | None:
        r = self.rng
        if a is None:
            return self.address() if r.random() < 0.5 else None
        x = r.random()
        if x < 0.2:
            return self.address()  # moved
        if x < 0.3:
            return None
        street = a.street
        if street.endswith("straat") and r.random() < 0.4:
            street = street[:-6] + r.choice(["str.", "str", " straat"])
        number, suffix = a.house_number, a.house_number_suffix
        if suffix and r.random() < 0.6:
            # A digit suffix needs a separator: "72-1", never "721".
            sep = r.choice(["-", " "]) if suffix[0].isdigit() or suffix[0] in "IV" else r.choice(["", "-", " "])
            number, suffix = number + sep + suffix.lower(), ""
        pc = a.postcode
        y = r.random()
        if y < 0.3:
            pc = f"{pc[:4]} {pc[4:]}".lower()
        elif y < 0.4:
            pc = ""
        elif y < 0.45:
            pc = pc[:4] + pc[5] + pc[4]  # swapped letters
        return Address(street=street if r.random() < 0.9 else street.upper(), house_number=number,
                       house_number_suffix=suffix, postcode=pc, city=a.city)

    def person_variant(self, t: Truth) -> Person:
        r = self.rng
        p: Person = t.record
        given = p.given_names.split()
        prefix, surname = p.surname_prefix, p.surname
        ops = r.choices(["none", "typo_sur", "typo_giv", "initials", "first_only", "nickname", "swap",
                         "partner", "translit", "comma", "fullname_in_surname", "drop_prefix",
                         "prefix_case"],
                        [8, 10, 8, 12, 10, 5, 4, 5, 8, 5, 4, 4, 4], k=r.choices((1, 2), (0.75, 0.25))[0])
        for op in ops:
            if op == "typo_sur":
                surname = self._typo(surname)
            elif op == "typo_giv" and given:
                given[0] = self._typo(given[0])
            elif op == "initials" and given:
                given = ["".join(f"{g[0]}." for g in given)]
            elif op == "first_only" and len(given) > 1:
                given = given[:1] if r.random() < 0.7 else given[1:2]
            elif op == "nickname" and given and given[0] in _NICK:
                given = [_NICK[given[0]]]
            elif op == "translit":
                given = [r.choice(t.given_alts[g]) if t.given_alts.get(g) else anyascii(g) for g in given]
                surname = r.choice(t.surname_alts) if t.surname_alts else anyascii(surname)
            elif op == "partner" and r.random() < 0.9:
                partner = self.p.surname(r)
                surname = f"{partner}-{surname}" if r.random() < 0.6 else f"{surname}-{partner}"
            elif op == "drop_prefix":
                prefix = ""
            elif op == "prefix_case":
                prefix, surname = "", f"{prefix} {surname}".strip()
                surname = surname[0].upper() + surname[1:]
        full_given = " ".join(given)
        if "swap" in ops:
            full_given, prefix, surname = f"{prefix} {surname}".strip(), "", full_given
        elif "comma" in ops:
            full_given, surname = "", f"{surname}, {full_given} {prefix}".strip()
            prefix = ""
        elif "fullname_in_surname" in ops:
            full_given, surname = "", f"{full_given} {prefix} {surname}".replace("  ", " ").strip()
            prefix = ""
        dob = p.birth_date
        x = r.random()
        if dob is None:
            dob = self._dob() if r.random() < 0.2 else None  # not our problem: unknown to the register
            dob = None if dob is None else dob
        elif x < 0.08:
            dob = None
        elif x < 0.13 and dob.day <= 12:
            dob = dob.replace(month=dob.day, day=dob.month)
        elif x < 0.15:
            dob = str(dob.year)
        return Person(id=None, given_names=full_given, surname_prefix=prefix, surname=surname,
                      birth_date=dob, nationality=p.nationality if r.random() < 0.5 else "",
                      address=self._address_variant(p.address),
                      identifiers=p.identifiers if p.identifiers and r.random() < 0.3 else None)

    def org_variant(self, t: Truth) -> Organisation:
        r = self.rng
        o: Organisation = t.record
        name, legal = o.name, o.legal_form
        for op in r.choices(["none", "legal", "order", "typo", "holding", "en", "case"],
                            [10, 25, 12, 15, 8, 5, 5], k=r.choices((1, 2), (0.7, 0.3))[0]):
            if op == "legal":
                for form, spelled in _LEGAL_SPELLED.items():
                    if form in name or form == legal:
                        name = name.replace(form, "").strip()
                        legal = r.choice(spelled) if r.random() < 0.6 else ""
                        if r.random() < 0.5 and legal:
                            name, legal = f"{name} {legal}", ""
                        break
            elif op == "order":
                words = name.split()
                if len(words) >= 2:
                    name = " ".join([*words[1:], words[0]])
            elif op == "typo":
                words = name.split()
                legal_words = {w for spelled in _LEGAL_SPELLED.values() for f in spelled for w in f.split()}
                legal_words |= {"Eenmanszaak", "Stichting", "Holding", *_LEGAL_SPELLED}
                i = max(range(len(words)), key=lambda k: (words[k] not in legal_words, len(words[k])))
                words[i] = self._typo(words[i])
                name = " ".join(words)
            elif op == "holding":
                name = name.replace(" Holding", "") if "Holding" in name else f"{name} Holding"
            elif op == "en":
                name = name.replace(" & ", " en ")
            elif op == "case":
                name = name.upper()
        return Organisation(id=None, name=name, legal_form=legal,
                            kvk_number=o.kvk_number if o.kvk_number and r.random() < 0.5 else "",
                            address=self._address_variant(o.address))

    def address_variant(self, t: Truth) -> AddressRecord:
        a = t.record.address
        r = self.rng
        v = self._address_variant(a)
        while v is None or v.house_number == "" or (v.postcode == "" and r.random() < 0.5):
            v = self._address_variant(a)
        if v.house_number.split("-")[0].split(" ")[0] != a.house_number.split(" ")[0]:
            v = replace(v, house_number=a.house_number, house_number_suffix=a.house_number_suffix)
        if v.street != a.street and nm.fold(v.street)[:3] != nm.fold(a.street)[:3]:
            v = replace(v, street=a.street, postcode=a.postcode)  # the "moved" case is not a variant
        return AddressRecord(None, v)

    def variant(self, t: Truth) -> Any:
        if isinstance(t.record, Person):
            return self.person_variant(t)
        if isinstance(t.record, Organisation):
            return self.org_variant(t)
        return self.address_variant(t)

    def fresh_query(self, t: Truth) -> Any:
        """An unlisted applicant as it would be typed in: a fresh entity, lightly formatted."""
        rec = t.record
        if isinstance(rec, Person):
            return replace(rec, id=None)
        if isinstance(rec, Organisation):
            return replace(rec, id=None)
        return AddressRecord(None, rec.address)


def make_register(n: int, seed: int = 1, pools: Pools | None = None) -> tuple[list[Truth], Generator]:
    pools = pools or Pools()
    gen = Generator(pools, seed)
    return [gen.entity(i) for i in range(n)], gen


def make_queries(truths: Sequence[Truth], gen: Generator, n_listed: int, n_unlisted: int,
                 seed: int = 99) -> list[tuple[Any, Any]]:
    """Return (query record, true entity id or None) pairs."""
    rng = random.Random(seed)
    out: list[tuple[Any, Any]] = []
    for t in rng.sample(list(truths), min(n_listed, len(truths))):
        out.append((gen.variant(t), t.record.id))
    for i in range(n_unlisted):
        fresh = gen.entity(("new", i))
        out.append((gen.fresh_query(fresh), None))
    rng.shuffle(out)
    return out


# ---------------------------------------------------------------------------------------------
# Quality
# ---------------------------------------------------------------------------------------------


def _kind(record: Any) -> str:
    return {Person: "person", Organisation: "org", AddressRecord: "address"}[type(record)]


def quality(queries: Sequence[tuple[Any, Any]], results: Sequence[Sequence[Any]]) -> dict[str, float]:
    """Open-set quality: recall of listed entities, alert precision, unlisted alert rate.

    *results* holds, per query, the ids of the alerts (hits at or above the review threshold).
    """
    listed = found = alerts = true_alerts = unlisted = unlisted_alerted = 0
    for (_q, truth), ids in zip(queries, results, strict=True):
        alerts += len(ids)
        if truth is None:
            unlisted += 1
            unlisted_alerted += bool(ids)
        else:
            listed += 1
            found += truth in ids
            true_alerts += truth in ids
    return {
        "recall": found / listed if listed else 1.0,
        "precision": true_alerts / alerts if alerts else 1.0,
        "unlisted_alerted": unlisted_alerted / unlisted if unlisted else 0.0,
        "alerts_per_query": alerts / len(queries) if queries else 0.0,
    }


def engine_quality(n_register: int = 2000, n_queries: int = 400, seed: int = 3) -> dict[str, float]:
    """Build a small register and measure the engine's quality on it (used by the smoke test)."""
    truths, gen = make_register(n_register, seed)
    matcher = Matcher(t.record for t in truths)
    queries = make_queries(truths, gen, n_queries, n_queries, seed + 1)
    results = [[h.entity_id for h in matcher.match(q)] for q, _t in queries]
    return quality(queries, results)


# ---------------------------------------------------------------------------------------------
# Naive baseline: a full scan over normalised names
# ---------------------------------------------------------------------------------------------

#: The baseline's cutoff (rapidfuzz scores 0-100), as in the style guide's example.
BASELINE_CUTOFF = 85


def baseline_text(record: Any) -> str:
    """The whole name (or address) folded, legal forms dropped, words sorted once."""
    if isinstance(record, Person):
        given, comps = nm.person_name(record.given_names, record.surname_prefix, record.surname)
        words = [*given, *(w for p, c in comps for w in (*p, *c))]
    elif isinstance(record, Organisation):
        words = list(nm.org_name(record.name, record.legal_form)[0])
    else:
        a = nm.address(record.address)
        words = [a[0], a[1] + a[2], *a[3].split()]
    return " ".join(sorted(w for w in words if w))


class Baseline:
    """``rapidfuzz.process.cdist`` over all register names with ``ratio`` on sorted tokens."""

    def __init__(self, records: Sequence[Any]) -> None:
        self.ids = [r.id for r in records]
        self.choices = [baseline_text(r) for r in records]

    def match_many(self, queries: Sequence[Any], limit: int = 10) -> list[list[Any]]:
        import numpy as np
        from rapidfuzz import fuzz, process

        out: list[list[Any]] = []
        for start in range(0, len(queries), 64):
            texts = [baseline_text(q) for q in queries[start:start + 64]]
            matrix = process.cdist(texts, self.choices, scorer=fuzz.ratio, dtype=np.uint8, workers=-1,
                                   score_cutoff=BASELINE_CUTOFF)
            for row in matrix:
                hits = np.flatnonzero(row)
                if len(hits) > limit:
                    hits = hits[np.argsort(-row[hits], kind="stable")[:limit]]
                out.append([self.ids[i] for i in hits])
        return out


# ---------------------------------------------------------------------------------------------
# Measurement
# ---------------------------------------------------------------------------------------------


def _rss_mb() -> float:
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu_s() -> float:
    """CPU seconds of this process and its finished children (forked workers, rapidfuzz threads)."""
    import resource

    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(p * len(values)))] if values else 0.0


def run_size(n: int, n_queries: int, pools: Pools, baseline_single: int) -> list[dict[str, Any]]:
    t0 = time.perf_counter()
    truths, gen = make_register(n, seed=n, pools=pools)
    records = [t.record for t in truths]
    queries = make_queries(truths, gen, n_queries, n_queries, seed=n + 1)
    gen_s = time.perf_counter() - t0
    del truths
    gc.collect()

    rows: list[dict[str, Any]] = []
    # Engine.
    rss0 = _rss_mb()
    t0, c0 = time.perf_counter(), _cpu_s()
    matcher = Matcher(records)
    build_s, build_cpu = time.perf_counter() - t0, _cpu_s() - c0
    gc.collect()
    mem = _rss_mb() - rss0
    # As a long-lived app worker should after building: move the index out of the collector's
    # reach, or a full collection over a million records stalls a query for 100+ ms.
    gc.freeze()
    lat, cpu = [], []
    for q, _truth in queries:
        t1, c1 = time.perf_counter(), time.process_time()
        matcher.match(q)
        lat.append((time.perf_counter() - t1) * 1000)
        cpu.append((time.process_time() - c1) * 1000)
    t0 = time.perf_counter()
    results = matcher.match_many([q for q, _t in queries])
    batch_s = time.perf_counter() - t0
    qual = quality(queries, [[h.entity_id for h in hits] for hits in results])
    rows.append({"size": n, "method": "engine", "build_s": build_s, "build_cpu": build_cpu, "mem_mb": mem,
                 "p50": _pct(lat, 0.5), "p95": _pct(lat, 0.95), "cpu_p95": _pct(cpu, 0.95),
                 "qps": len(queries) / batch_s,
                 "gen_s": gen_s, **qual})
    by_kind: dict[str, list[int]] = {}
    for i, (q, _t) in enumerate(queries):
        by_kind.setdefault(_kind(q), []).append(i)
    for kind, idx in sorted(by_kind.items()):
        sub = quality([queries[i] for i in idx], [[h.entity_id for h in results[i]] for i in idx])
        rows.append({"size": n, "method": f"engine: {kind} queries", **sub})
    del matcher, results
    gc.unfreeze()
    gc.collect()

    # Baseline.
    rss0 = _rss_mb()
    t0 = time.perf_counter()
    base = Baseline(records)
    build_b = time.perf_counter() - t0
    mem_b = _rss_mb() - rss0
    lat_b, cpu_b = [], []
    for q, _truth in queries[:baseline_single]:
        t1, c1 = time.perf_counter(), _cpu_s()
        base.match_many([q])
        lat_b.append((time.perf_counter() - t1) * 1000)
        cpu_b.append((_cpu_s() - c1) * 1000)
    t0 = time.perf_counter()
    res_b = base.match_many([q for q, _t in queries])
    batch_b = time.perf_counter() - t0
    rows.append({"size": n, "method": f"naive cdist ratio ≥{BASELINE_CUTOFF}", "build_s": build_b,
                 "mem_mb": mem_b, "p50": _pct(lat_b, 0.5), "p95": _pct(lat_b, 0.95), "cpu_p95": _pct(cpu_b, 0.95),
                 "qps": len(queries) / batch_b, **quality(queries, res_b)})
    rows[0]["speedup"] = rows[-1]["p50"] / rows[0]["p50"] if rows[0]["p50"] else 0.0
    return rows


def _fmt(row: dict[str, Any], key: str, spec: str) -> str:
    return format(row[key], spec) if key in row else ""


def print_table(rows: list[dict[str, Any]], n_queries: int) -> None:
    print(f"\nQueries per size: {n_queries} listed variants + {n_queries} unlisted applicants; "
          f"review threshold {REVIEW_THRESHOLD}; {os.cpu_count()} cores; Python {sys.version.split()[0]}\n")
    print("| size | method | build s | build CPU s | mem MB | p50 ms | p95 ms | p95 CPU ms | speed-up p50 "
          "| batch q/s | recall | precision | unlisted alerted | alerts/query |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['size']:,} | {r['method']} | {_fmt(r, 'build_s', '.1f')} | {_fmt(r, 'build_cpu', '.1f')} "
              f"| {_fmt(r, 'mem_mb', '.0f')} | {_fmt(r, 'p50', '.2f')} | {_fmt(r, 'p95', '.2f')} "
              f"| {_fmt(r, 'cpu_p95', '.2f')} | {_fmt(r, 'speedup', '.0f')} "
              f"| {_fmt(r, 'qps', ',.0f')} | {r['recall']:.4f} | {r['precision']:.4f} "
              f"| {r['unlisted_alerted']:.4f} | {r['alerts_per_query']:.3f} |")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--queries", type=int, default=1000, help="listed and unlisted queries each")
    parser.add_argument("--baseline-single", type=int, default=100,
                        help="single queries timed for the (slow) baseline")
    parser.add_argument("--quick", action="store_true", help="10k register, 300 queries each (CI)")
    args = parser.parse_args(argv)
    sizes = [10_000] if args.quick else [int(s) for s in args.sizes.split(",") if s.strip()]
    n_queries = 300 if args.quick else args.queries
    pools = Pools()
    rows: list[dict[str, Any]] = []
    for n in sizes:
        t0 = time.perf_counter()
        rows += run_size(n, n_queries, pools, args.baseline_single)
        print(f"size {n:,} done in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    print_table(rows, n_queries)
    print("\nmem MB is the RSS growth while building. Latency is one `match` call (wall clock; 'p95 CPU' is "
          "the CPU time of the call, which does not count waiting for a core on a shared machine; for the "
          "baseline it includes all its threads); q/s is `match_many` over all queries. Build CPU includes "
          "forked workers. Precision counts every alert of every query; 'unlisted alerted' is the share "
          "of applicants not in the register with at least one alert.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
