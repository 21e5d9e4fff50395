"""Hand-written cases from Dutch practice that the synthetic generator of ``benchmarks.matching`` does
not make: abbreviated voorletters and tussenvoegsels, roepnamen, joined given names, foreign name
forms and romanisations of Cyrillic, trade names against statutory names, legal forms written out. Each case is a registered
entity and an applicant who is that entity (must alert) or a lookalike who is not (must not alert).

Run ``python -m benchmarks.matching_cases``. All cases go into one register among 20,000 generated
entries, so term frequencies are realistic; the table compares the engine with the naive
``rapidfuzz.process.cdist`` scan of ``benchmarks.matching`` and lists every case either gets wrong.
It measures how well the engine generalises beyond its generator; it is not a test suite (the
cases the engine must keep finding are in ``tests/screening/matching``).
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from screening.matching import Address as A
from screening.matching import Matcher
from screening.matching import Organisation as O  # noqa: E741 - short names keep the case table readable
from screening.matching import Person as P

from .matching import Baseline, Pools, make_register

D = dt.date
KERK = A("Kerkstraat", "12", "", "1234AB", "Assen")

#: (registered entity, applicant, must alert). Registered ids are given per case below.
CASES: list[tuple[Any, Any, bool]] = [
    # Abbreviated voorletters and tussenvoegsels.
    (P(0, "Jeroen", "", "van den Berg", D(1980, 1, 2)), P(None, "Jeroen", "", "v.d. Berg"), True),
    (P(0, "Jeroen", "van der", "Meer"), P(None, "J.", "v.d.", "Meer", D(1975, 5, 5)), True),
    (P(0, "Philippus", "de", "Vries", D(1960, 1, 1)), P(None, "Ph.", "", "de Vries", D(1960, 1, 1)), True),
    (P(0, "Theodorus Johannes", "", "Bakker", D(1950, 2, 3)), P(None, "Th.J.", "", "Bakker", D(1950, 2, 3)), True),
    (P(0, "Christiaan", "", "Smit", D(1970, 3, 4)), P(None, "Chr.", "", "Smit", D(1970, 3, 4)), True),
    (P(0, "Johannes", "", "Vermeulen", D(1955, 5, 5)), P(None, "Joh.", "", "Vermeulen", D(1955, 5, 5)), True),
    (P(0, "Willem", "", "Kok", D(1945, 4, 4)), P(None, "Wm.", "", "Kok", D(1945, 4, 4)), True),
    (P(0, "Gerrit Jan", "van", "Dijk", D(1965, 3, 3)), P(None, "G.J.", "", "Dijk, van", D(1965, 3, 3)), True),
    (P(0, "Anna", "", "'t Hart", D(1990, 9, 9)), P(None, "Anna", "", "Hart, 't", D(1990, 9, 9)), True),
    (P(0, "Anna", "", "'t Hart", D(1990, 9, 9)), P(None, "Anna", "", "t'Hart"), True),
    # Roepnamen and joined or split given names.
    (P(0, "Wilhelmus Johannes", "", "Bos", D(1960, 6, 6)), P(None, "Wim", "", "Bos", D(1960, 6, 6)), True),
    (P(0, "Maria Johanna", "", "de Groot", D(1970, 7, 7)), P(None, "Marja", "", "de Groot", D(1970, 7, 7)), True),
    (P(0, "Johanna", "", "Visser", D(1970, 7, 7)), P(None, "Annie", "", "Visser", D(1970, 7, 7)), True),
    (P(0, "Catharina", "", "Mulder", D(1955, 5, 5)), P(None, "Toos", "", "Mulder", D(1955, 5, 5)), True),
    (P(0, "Jacobus", "", "Meijer", D(1955, 5, 5)), P(None, "Koos", "", "Meijer", D(1955, 5, 5)), True),
    (P(0, "Abdelkader", "", "Ziani", D(1977, 7, 7)), P(None, "Abdel Kader", "", "Ziani", D(1977, 7, 7)), True),
    (P(0, "Jan-Willem", "", "Zwart", D(1966, 6, 6)), P(None, "Janwillem", "", "Zwart"), True),
    (P(0, "Anne Marie", "", "Zuidhof"), P(None, "Annemarie", "", "Zuidhof"), True),
    # Partner names, addresses.
    (P(0, "Maria", "", "Jansen", D(1970, 1, 1), address=KERK), P(None, "M.", "", "Jansen-de Boer", address=KERK), True),
    (P(0, "Mustafa", "", "Yilmaz", D(1979, 1, 1), address=A("Hoofdstraat", "1", "", "7811AA", "Emmen")),
     P(None, "M.", "", "Yılmaz", address=A("Hoofdstr.", "1", "", "7811 AA", "Emmen")), True),
    # Other languages and scripts.
    (P(0, "Aleksandr", "", "Petrov", D(1982, 4, 5)), P(None, "Alexander", "", "Petrov", D(1982, 4, 5)), True),
    (P(0, "Александр", "", "Петров", D(1982, 4, 5)), P(None, "Aleksandr", "", "Petrov"), True),
    (P(0, "Oleksandr", "", "Kovalenko", D(1990, 2, 2)), P(None, "Aleksandr", "", "Kovalenko", D(1990, 2, 2)), True),
    (P(0, "Mohamed", "", "Ben Ali", D(1990, 1, 1)), P(None, "Mohamed", "", "Benali", D(1990, 1, 1)), True),
    (P(0, "Karim", "", "El Khattabi", D(1985, 6, 7)), P(None, "Karim", "", "Elkhattabi"), True),
    (P(0, "Karim", "", "Al-Khattabi", D(1985, 6, 7)), P(None, "Karim", "", "El Khattabi", D(1985, 6, 7)), True),
    (P(0, "Anouar", "", "Daoudi", D(1986, 10, 9)), P(None, "Anwar", "", "Daoedi", D(1986, 10, 9)), True),
    (P(0, "Hans", "", "Müller", D(1971, 1, 1)), P(None, "Hans", "", "Mueller", D(1971, 1, 1)), True),
    (P(0, "Mehmet", "", "Yılmaz", D(1988, 8, 8)), P(None, "Mehmet", "", "Yilmaz", D(1988, 8, 8)), True),
    (P(0, "Yusuf", "", "Öztürk", D(1980, 1, 1)), P(None, "Youssef", "", "Ozturk", D(1980, 1, 1)), True),
    (P(0, "Piotr", "", "Nowak", D(1985, 3, 3)), P(None, "Peter", "", "Nowak", D(1985, 3, 3)), True),
    (P(0, "Andrzej", "", "Wójcik", D(1975, 4, 4)), P(None, "Andrzej", "", "Wojcik", D(1975, 4, 4)), True),
    (P(0, "Gheorghe", "", "Ionescu", D(1968, 9, 9)), P(None, "George", "", "Ionescu", D(1968, 9, 9)), True),
    (P(0, "Ștefan", "", "Popescu", D(1979, 11, 2)), P(None, "Stefan", "", "Popescu"), True),
    (P(0, "Wei", "", "Wang", D(1991, 1, 2)), P(None, "Wang", "", "Wei", D(1991, 1, 2)), True),
    (P(0, "Pieter", "", "Hofstede", D(1980, 1, 2)), P(None, "Drs. ing. P.", "", "Hofstede", D(1980, 1, 2)), True),
    (P(0, "Anna", "", "Brouwer", D(1980, 1, 2)), P(None, "Mevr. A.", "", "Brouwer jr.", D(1980, 1, 2)), True),
    (P(0, "Abd al-Rahman", "", "Haddad", D(1983, 4, 17)), P(None, "Abdulrahman", "", "Haddad", D(1983, 4, 17)), True),
    (P(0, "Wojciech", "", "Szczęsny", D(1983, 4, 17)), P(None, "Wojtek", "", "Szczesny", D(1983, 4, 17)), True),
    # A Cyrillic name in the register, its passport or newspaper romanisation on the application.
    (P(0, "Юрий", "", "Жуков", D(1980, 1, 2)), P(None, "Iurii", "", "Zhukov"), True),
    (P(0, "Олександр", "", "Гнатюк", D(1991, 6, 3)), P(None, "Oleksandr", "", "Hnatiuk", D(1991, 6, 3)), True),
    (P(0, "Людмила", "", "Гончаренко"), P(None, "Liudmyla", "", "Honcharenko", D(1975, 2, 2)), True),
    (P(0, "Юлия", "", "Тимошенко", D(1960, 11, 27)), P(None, "Joelija", "", "Tymosjenko"), True),
    # 1 January for a day and month nobody recorded.
    (P(0, "Farid", "", "Haidari", D(1992, 1, 1)), P(None, "Farid", "", "Haidari", D(1992, 7, 14)), True),
    # Companies: trade names, legal forms, word order.
    (O(0, "Bouwbedrijf Van Dijk B.V."), O(None, "Van Dijk Bouw BV"), True),
    (O(0, "Schoonmaakbedrijf Clean & Co B.V."), O(None, "Clean en Co Schoonmaak"), True),
    (O(0, "V.O.F. Snackbar De Smikkel"), O(None, "Snackbar de Smikkel vof"), True),
    (O(0, "Autobedrijf Hendriks", kvk_number="12345678"), O(None, "Hendriks Auto", kvk_number="12345678"), True),
    (O(0, "Horeca Exploitatie Maatschappij Noord B.V."), O(None, "Horeca Exploitatiemaatschappij Noord"), True),
    (O(0, "Koch Immobilien GmbH"), O(None, "Koch Immobilien"), True),
    (O(0, "Kowalski Transport Sp. z o.o."), O(None, "Kowalski Transport Spółka z ograniczoną odpowiedzialnością"), True),
    (O(0, "Massagesalon Lotus"), O(None, "Lotus Massage Salon"), True),
    (O(0, "Café 't Hoekje"), O(None, "Cafe Het Hoekje"), True),
    (O(0, "Eetcafé De Gouden Leeuw"), O(None, "Eetcafe Gouden Leeuw"), True),
    (O(0, "Snackbar 't Pleintje V.O.F."), O(None, "Snackbar Pleintje"), True),
    (O(0, "Jansen's Schoonmaakdiensten"), O(None, "Jansens Schoonmaakdiensten"), True),
    (O(0, "Uitzendbureau Flex4You B.V."), O(None, "Flex 4 You Uitzendbureau"), True),
    (O(0, "Kamerverhuur Emmen"), O(None, "Kamerverhuur Emmen BV"), True),
    (O(0, "Huisvesting Arbeidsmigranten Drenthe B.V."), O(None, "Huisvesting Arbeidsmigranten Drenthe"), True),
    (O(0, "Loodgietersbedrijf Aschman C.V."), O(None, "Aschman C.V. Loodgietersbedrijf"), True),
    (O(0, "Club 68"), O(None, "Club68 B.V."), True),
    (O(0, "Wellness Center Oase"), O(None, "Wellnesscentrum Oase"), True),
    (O(0, "Club Paradise Emmen B.V."), O(None, "Paradise Club"), True),
    (O(0, "Uitzendbureau Flexwerk Polska Sp. z o.o."), O(None, "Flexwerk Polska"), True),
    (O(0, "Thai Massage Lotus B.V."), O(None, "Lotus Thaise Massage"), True),
    (O(0, "Escortbureau Bella Donna"), O(None, "Bella Donna Escort"), True),
    (O(0, "Escortservice Venus V.O.F."), O(None, "Escortbureau Venus"), True),
    (O(0, "Transportbedrijf Van der Veen B.V."), O(None, "Transportbedrijf v.d. Veen"), True),
    (O(0, "Seksclub De Rode Loper"), O(None, "Sexclub Rode Loper"), True),
    (O(0, "Lubbers Beheer B.V. h.o.d.n. Club Venus"), O(None, "Club Venus"), True),
    (O(0, "Lubbers Beheer B.V."), O(None, "Lubbers Beheer B.V. h.o.d.n. Privéhuis Aphrodite"), True),
    (O(0, "Kuipers Uitzendgroep Holding B.V. i.o."), O(None, "Kuipers Uitzendgroep Holding B.V."), True),
    (O(0, "Gebroeders Dekker"), O(None, "Gebr. Dekker"), True),
    (O(0, "Exploitatie Maatschappij Huisvesting Oost"), O(None, "Expl. Mij. Huisvesting Oost"), True),
    (O(0, "Top Uitzendbureau Nederland B.V."), O(None, "TopUitzendbureau"), True),
    (O(0, "Café-Restaurant De Drie Podden"), O(None, "Cafe Restaurant 3 Podden"), True),
    # Lookalikes that are someone else.
    (P(0, "Jan", "", "Bakker", D(1985, 3, 12)), P(None, "Janneke", "", "Bakker"), False),
    (P(0, "Thomas", "", "Zijlstra", D(1985, 3, 12)), P(None, "Th.", "", "Zijlstra", D(1990, 1, 1)), False),
    (P(0, "Jeroen", "", "van Dijk", D(1985, 3, 12)), P(None, "Jeroen", "", "de Dijk", D(1991, 3, 12)), False),
    (P(0, "Anne", "", "Zuidhof"), P(None, "Annemarie", "", "Zuidhof"), False),
    (P(0, "Christiaan", "", "Keijser"), P(None, "Christianne", "", "Keijser"), False),
    (P(0, "Rachid", "", "Boukhari"), P(None, "Rachida", "", "Boukhari"), False),
    (P(0, "Karel", "", "Zwanenburg", D(1970, 4, 8)), P(None, "Karel", "", "Zwanenburg", D(1981, 12, 25)), False),
    (O(0, "Bouwbedrijf Zijlstra"), O(None, "Sloopbedrijf Zijlstra"), False),
    (O(0, "Autobedrijf Zijlstra"), O(None, "Autoverhuur Zijlstra", kvk_number="11111111"), False),
    (O(0, "Club 68"), O(None, "Club 69"), False),
    (O(0, "De Vries Holding B.V.", kvk_number="12345678"), O(None, "De Vries Holding", kvk_number="87654321"), False),
    (O(0, "Kapsalon Sanne Emmen"), O(None, "Kapsalon Sanne Assen"), False),
    (O(0, "Polski Sklep Emmen"), O(None, "Polski Sklep Assen"), False),
    (O(0, "Huisvesting Emmen B.V."), O(None, "Huisvesting"), False),
    (O(0, "Escortbureau Bella Vita"), O(None, "Escort Bella Luna"), False),
    (O(0, "De Boer Beheer B.V. h.o.d.n. Club Venus Emmen"), O(None, "Club Venus Assen"), False),
    (P(0, "Jan", "", "Smeets"), P(None, "Ian", "", "Smeets"), False),
    (P(0, "Henk", "", "Smeenk", D(1985, 3, 3)), P(None, "Henk", "", "Smeenk", D(1986, 1, 1)), False),
    (O(0, "Vier Seizoenen Vastgoed B.V."), O(None, "5 Seizoenen Vastgoed"), False),
]


def _label(record: Any) -> str:
    if isinstance(record, P):
        return " ".join(filter(None, (record.given_names, record.surname_prefix, record.surname)))
    return record.name


def run(filler_size: int = 20_000) -> dict[str, Any]:
    truths, _gen = make_register(filler_size, seed=5, pools=Pools())
    registered = [replace(reg, id=("case", i)) for i, (reg, _q, _alert) in enumerate(CASES)]
    records = [t.record for t in truths] + registered
    queries = [q for _reg, q, _alert in CASES]
    engine = [[h.entity_id for h in hits] for hits in Matcher(records).match_many(queries)]
    naive = Baseline(records).match_many(queries)
    rows: dict[str, Any] = {}
    for method, results in (("engine", engine), ("naive cdist scan", naive)):
        wrong = []
        found = must = avoided = must_not = 0
        for i, ((reg, q, alert), ids) in enumerate(zip(CASES, results, strict=True)):
            hit = ("case", i) in ids
            if alert:
                must += 1
                found += hit
            else:
                must_not += 1
                avoided += not hit
            if hit != alert:
                wrong.append(f"{'missed' if alert else 'alerted'}: {_label(q)} ~ {_label(reg)}")
        rows[method] = {"found": found, "must": must, "avoided": avoided, "must_not": must_not, "wrong": wrong}
    return rows


def print_table(rows: dict[str, Any]) -> None:
    print("\n| method | same entity alerted | lookalike not alerted |")
    print("|---|---:|---:|")
    for method, r in rows.items():
        print(f"| {method} | {r['found']} / {r['must']} | {r['avoided']} / {r['must_not']} |")
    for method, r in rows.items():
        print(f"\n{method}, wrong ({len(r['wrong'])}):")
        for line in r["wrong"]:
            print(f"  {line}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--filler", type=int, default=20_000, help="generated register entries around the cases")
    args = parser.parse_args(argv)
    print_table(run(args.filler))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
