"""Example advice reports (fictitious data) for the benchmark, the tests and a demo download.

``example_report("small" | "medium" | "huge")``: the medium one is a realistic dossier built from a
real checklist assessment; the huge one stresses layout (many parties, findings and hits).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from screening.checklists import Advice, ConfirmedHit, DangerLevel, LbbAdvice, assess, load_checklist
from screening.report.advice import findings_from_assessment, ground_conclusions_from_assessment
from screening.report.model import (
    AdviceReport,
    Finding,
    FindingSection,
    Party,
    PartyRelation,
    PartyRole,
    RegisterHit,
    ReportStatus,
    Weighing,
)

_DATE = date(2025, 3, 14)


def _base() -> AdviceReport:
    return AdviceReport(
        reference="Z-2025-000123",
        gemeente="Assen",
        permit_type="Exploitatievergunning seksinrichting",
        betrokkene="Velvet Lounge Drenthe B.V.",
        author="J. de Vries (Bibob-coördinator)",
        dated_on=_DATE,
        advice=Advice.VERLENEN,
        bevoegd_gezag="De burgemeester van Assen",
        status=ReportStatus.CONCEPT,
        version=1,
        checklist_key="seksbedrijf-v1",
    )


def _small() -> AdviceReport:
    checklist = load_checklist("seksbedrijf")
    result = assess(checklist, {"BIB-CL-SEK-E03": "ja"})
    return replace(
        _base(),
        summary="Aanvraag om een exploitatievergunning voor een seksinrichting aan de Stationsstraat. "
        "Het eigen onderzoek leverde één aandachtspunt op (contante betaling van de inventaris).",
        aanleiding="Nieuwe aanvraag; de beleidsregel Bibob schrijft een toets voor bij iedere exploitatievergunning "
        "seksbedrijf.",
        parties=(
            Party(
                "Velvet Lounge Drenthe B.V.",
                (PartyRelation(PartyRole.AANVRAGER, since=date(2024, 11, 1)),),
                is_legal_entity=True,
                identifier="KvK 91234567",
            ),
            Party(
                "M. Jansen",
                (PartyRelation(PartyRole.BESTUURDER, since=date(2024, 11, 1)),),
                identifier="geb. 12-05-1979",
            ),
        ),
        finding_sections=tuple(s for s in findings_from_assessment(result) if s.findings),
        ground_conclusions=ground_conclusions_from_assessment(result),
        rationale=result.rationale,
        advice=result.advice,
    )


def _medium() -> AdviceReport:
    checklist = load_checklist("seksbedrijf")
    hits = [
        ConfirmedHit("witwassen", subject="R. Bakker", description="Veroordeling witwassen 2019"),
        ConfirmedHit("vergunning_geweigerd", subject="Velvet Holding B.V.", description="Weigering Emmen 2022"),
    ]
    lbb = LbbAdvice(
        a_grond=DangerLevel.ERNSTIG,
        b_grond=DangerLevel.MINDERE_MATE,
        issued_on=date(2025, 2, 28),
        requested_on=date(2025, 1, 6),
        reference="LBB-2025-0042",
        vergewist=True,
        summary="Het LBB concludeert dat er ernstig gevaar bestaat dat de vergunning mede zal worden gebruikt "
        "om uit strafbare feiten verkregen vermogen te benutten (a-grond), vanwege de onverklaarde herkomst "
        "van € 85.000 en de relatie met een voor witwassen veroordeelde financier.",
        vergewis_note="Het advies is gebaseerd op justitiële gegevens, informatie van de Belastingdienst en de "
        "KvK; de gemeente heeft de feiten en de redenering nagelopen en acht het onderzoek zorgvuldig.",
    )
    answers = {
        "BIB-CL-SEK-A01": "nee",
        "BIB-CL-SEK-B01": "ja",
        "BIB-CL-SEK-B02": "ja",
        "BIB-CL-SEK-C01": 1,
        "BIB-CL-SEK-D01": "ja",
        "BIB-CL-SEK-D02": "nee",
        "BIB-CL-SEK-D03": "nee",
        "BIB-CL-SEK-E01": "ja",
        "BIB-CL-SEK-E02": Decimal("85000"),
        "BIB-CL-SEK-E03": "ja",
        "BIB-CL-SEK-E04": "ja",
        "BIB-CL-SEK-E05": "ja",
        "BIB-CL-SEK-E06": "nee",
        "BIB-CL-SEK-E07": "nee",
        "BIB-CL-SEK-F01": "onbekend",
        "BIB-CL-SEK-F02": "nee",
        "BIB-CL-SEK-F03": "nee",
        "BIB-CL-SEK-G01": "veroordeling",
        "BIB-CL-SEK-G02": "geen",
        "BIB-CL-SEK-G03": "nee",
        "BIB-CL-SEK-G04": 1,
        "BIB-CL-SEK-G05": "ja",
        "BIB-CL-SEK-G06": "nee",
        "BIB-CL-SEK-G07": "ja",
        "BIB-CL-SEK-G08": "nee",
        "BIB-CL-SEK-G09": 0,
        "BIB-CL-SEK-H01": "ja",
        "BIB-CL-SEK-H02": "nee",
        "BIB-CL-SEK-I01": "ja",
        "BIB-CL-SEK-I02": "nee",
        "BIB-CL-SEK-I04": "nee",
        "BIB-CL-SEK-I03": "De lening van R. Bakker is in het vragenformulier niet vermeld.",
        "BIB-CL-SEK-O01": "nee",
        "BIB-CL-SEK-O02": "ja",
    }
    result = assess(checklist, answers, confirmed_hits=hits, lbb_advice=lbb)
    findings = list(findings_from_assessment(result))
    findings[4] = replace(
        findings[4],
        findings=(
            Finding(
                "De totale investering bedraagt € 240.000 (overnamesom € 150.000, verbouwing € 60.000, "
                "werkkapitaal € 30.000). Voor € 85.000 is de herkomst niet aangetoond: de overgelegde "
                "bankafschriften tonen een storting in contanten op 3 oktober 2024.",
                sources=("Vragenformulier E01–E05", "Bankafschrift ING 10/2024"),
                indicator_code="BIB-CL-SEK-E02",
                weight=4,
                amount_eur=Decimal("85000"),
                observed_on=date(2024, 10, 3),
            ),
            *findings[4].findings,
        ),
    )
    return replace(
        _base(),
        summary="Velvet Lounge Drenthe B.V. vraagt een exploitatievergunning voor een seksinrichting aan de "
        "Stationsstraat 12 in Assen. De financiering is voor € 85.000 onverklaard en deels contant voldaan; "
        "een van de financiers, R. Bakker, is in 2019 onherroepelijk veroordeeld voor witwassen en onderhoudt "
        "een zakelijk samenwerkingsverband met de aanvrager. Het LBB concludeert ernstig gevaar op de a-grond. "
        "Het vragenformulier vermeldde de lening niet (art. 3 lid 6).",
        aanleiding="Nieuwe aanvraag ontvangen op 2 december 2024; de Beleidsregel Bibob gemeente Assen "
        "(art. 3) schrijft een toets voor bij iedere exploitatievergunning seksbedrijf. Het LBB is om "
        "advies gevraagd op 6 januari 2025 omdat het eigen onderzoek vragen openliet.",
        parties=(
            Party(
                "Velvet Lounge Drenthe B.V.",
                (PartyRelation(PartyRole.AANVRAGER, since=date(2024, 11, 1)),),
                is_legal_entity=True,
                identifier="KvK 91234567",
            ),
            Party(
                "M. Jansen",
                (
                    PartyRelation(PartyRole.BESTUURDER, since=date(2024, 11, 1)),
                    PartyRelation(PartyRole.FEITELIJK_LEIDINGGEVENDE, since=date(2024, 11, 1)),
                ),
                identifier="geb. 12-05-1979",
            ),
            Party(
                "Velvet Holding B.V.",
                (PartyRelation(PartyRole.AANDEELHOUDER, percentage=Decimal("100")),),
                is_legal_entity=True,
                identifier="KvK 81234560",
                note="Enig aandeelhouder; in 2022 elders een exploitatievergunning geweigerd (Emmen).",
            ),
            Party(
                "R. Bakker",
                (
                    PartyRelation(
                        PartyRole.VERMOGENSVERSCHAFFER,
                        since=date(2024, 10, 1),
                        amount_eur=Decimal("85000"),
                        note="onderhandse lening",
                    ),
                    PartyRelation(PartyRole.ZAKELIJK_SAMENWERKINGSVERBAND),
                ),
                identifier="geb. 03-09-1968",
            ),
            Party(
                "S. de Groot",
                (PartyRelation(PartyRole.BESTUURDER, since=date(2021, 1, 1), until=date(2024, 10, 31)),),
                identifier="geb. 22-01-1985",
            ),
            Party(
                "Pandbeheer Noord B.V.",
                (PartyRelation(PartyRole.VERHUURDER_PAND),),
                is_legal_entity=True,
                identifier="KvK 71234569",
            ),
        ),
        finding_sections=tuple(findings),
        register_hits=(
            RegisterHit(
                "R. Bakker",
                "Onherroepelijke veroordeling witwassen (art. 420bis Sr), 2019",
                kind="witwassen",
                source="RIEC Noord-Nederland",
                reference="REG-2019-0311",
                explanation="Naam, geboortedatum en woonplaats gelijk; bevestigd aan de hand van het LBB-advies.",
                score=Decimal("97.5"),
                confirmed_by="J. de Vries",
                confirmed_on=date(2025, 1, 20),
            ),
            RegisterHit(
                "Velvet Holding B.V.",
                "Exploitatievergunning geweigerd op grond van de Wet Bibob, gemeente Emmen, 2022",
                kind="vergunning_geweigerd",
                source="Bibob-register regio",
                reference="REG-2022-1190",
                explanation="KvK-nummer gelijk.",
                score=Decimal("100"),
                confirmed_by="J. de Vries",
                confirmed_on=date(2025, 1, 20),
            ),
        ),
        lbb_advice=lbb,
        weighing=Weighing(
            ernst="Witwassen is een ernstig misdrijf; de veroordeling is onherroepelijk (W-ERNST, W-VERMOEDEN).",
            samenhang="Het vermogen uit de lening van R. Bakker wordt in de inrichting geïnvesteerd; er is een "
            "directe relatie tussen het feit en de aangevraagde vergunning.",
            tijdsverloop="De veroordeling dateert van 2019; de lening is verstrekt in 2024. Het tijdsverloop "
            "weegt daarom niet in het voordeel van betrokkene.",
            evenredigheid="Weigering raakt de aanvrager financieel, maar het algemeen belang van het voorkomen "
            "van witwassen in een branche met een hoog risico op mensenhandel weegt zwaarder. Voorschriften "
            "kunnen het gevaar niet wegnemen, omdat de herkomst van het vermogen onbekend blijft.",
            other=(("Omvang van het voordeel", "€ 85.000 onverklaard vermogen (W-VOORDEEL)."),),
        ),
        ground_conclusions=ground_conclusions_from_assessment(result),
        art3_lid6=result.lid6_indicated,
        art3_lid6_motivation="De lening van R. Bakker is niet vermeld bij vraag E03; gelet op de uitspraak "
        "Rb Noord-Nederland 2023:5357 wordt op deze grond alleen niet geweigerd.",
        rationale=result.rationale,
        advice=result.advice,
        advice_motivation="Geadviseerd wordt de vergunning te weigeren op grond van art. 3 lid 1 sub a Wet Bibob. "
        "Voor het geval het bevoegd gezag verlening met voorschriften overweegt, staan hieronder voorschriften.",
        conditions=(
            "Jaarlijks binnen zes maanden na afloop van het boekjaar een door een accountant gecontroleerde "
            "jaarrekening overleggen.",
            "Iedere wijziging in bestuur, aandeelhouders of financiers vooraf melden aan de burgemeester.",
            "Geen contante betalingen boven € 3.000 aannemen of verrichten.",
            "De lening van R. Bakker binnen drie maanden aflossen en dit met bankafschriften aantonen.",
        ),
    )


def _huge() -> AdviceReport:
    medium = _medium()
    parties = tuple(
        Party(
            f"Persoon {i} van der Achternaam-Lang",
            (PartyRelation(list(PartyRole)[i % len(PartyRole)], since=date(2015 + i % 9, 1 + i % 12, 1)),),
            identifier=f"geb. {1 + i % 28:02d}-03-1970",
        )
        for i in range(60)
    )
    text = (
        "Uit het eigen onderzoek blijkt dat de betrokkene in de periode 2015–2024 bij meerdere "
        "ondernemingen betrokken was; de stukken zijn opgevraagd bij KvK en Kadaster. "
    ) * 4
    sections = tuple(
        FindingSection(
            f"{section.title}",
            tuple(
                Finding(
                    f"{j + 1}. {text}",
                    sources=("KvK", "Kadaster", f"Vragenformulier {j}"),
                    indicator_code=f"BIB-CL-SEK-X{j:02d}",
                    weight=j % 10,
                    amount_eur=Decimal(1000 * j),
                )
                for j in range(30)
            ),
            code=section.code,
            score=30,
        )
        for section in medium.finding_sections
    )
    hits = tuple(
        RegisterHit(
            f"Persoon {i}",
            f"Registratie {i}: bestuurlijke boete",
            kind="handhaving",
            source="Register",
            explanation=text,
            score=Decimal("91.2"),
            confirmed_by="J. de Vries",
            confirmed_on=_DATE,
        )
        for i in range(40)
    )
    return replace(
        medium, parties=parties, finding_sections=sections, register_hits=hits, conditions=medium.conditions * 5
    )


def example_report(size: str = "medium") -> AdviceReport:
    """A fictitious but realistic report: "small", "medium" or "huge"."""
    return {"small": _small, "medium": _medium, "huge": _huge}[size]()
