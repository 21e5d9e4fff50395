"""The Bibob-vragenformulier as data (domain.md §1.5; Regeling Bibob-formulieren 2024, bijlage 1).

The ids (BIB-Q-...) are Barrier's own; ``official_ref`` is kept apart so the list can be mapped to
the numbering of bijlage 1 once the official PDF is read. A bestuursorgaan may select questions
from bijlage 1 but never add new ones (Regeling art. 4-5), so this list is only ever shortened.

``needs_document`` marks the questions whose answer must be backed by a document: an
identity document, a KvK extract, and evidence for every money item (domain.md §1.5,
"Attachment validation").
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Question:
    id: str
    text: str
    kind: str
    needs_document: bool = False
    official_ref: str | None = None


@dataclass(frozen=True, slots=True)
class QuestionnaireSection:
    code: str
    title: str
    questions: tuple[Question, ...]
    #: "person" or "organisation": the section is only asked for that kind of applicant.
    applicant_kind: str | None = None


Q = Question

SECTIONS: tuple[QuestionnaireSection, ...] = (
    QuestionnaireSection("A_ALGEMEEN", "A. Algemeen", (
        Q("BIB-Q-A01", "Om welke vergunning of beschikking gaat het (soort, locatie, nieuw/wijziging/verlenging)?", "enum"),
        Q("BIB-Q-A02", "Wie vult het formulier in (aanvrager zelf of gemachtigde)? Naam, adres, BSN en relatie tot de aanvrager.", "person"),
    )),
    QuestionnaireSection("B_AANVRAGER_NATUURLIJK_PERSOON", "B. Aanvrager (natuurlijk persoon)", (
        Q("BIB-Q-B01", "Naam, voornamen, geboortedatum, geboorteplaats, nationaliteit, BSN, adres, telefoon, e-mail.", "person"),
        Q("BIB-Q-B02", "Kopie geldig identiteitsbewijs.", "file", needs_document=True),
    ), applicant_kind="person"),
    QuestionnaireSection("C_AANVRAGER_RECHTSPERSOON", "C. Aanvrager (rechtspersoon)", (
        Q("BIB-Q-C01", "Statutaire naam, rechtsvorm, handelsnaam/-namen, KvK-nummer, vestigingsnummer, RSIN, vestigingsadres.", "org"),
        Q("BIB-Q-C02", "Uittreksel KvK (recent) en statuten.", "file", needs_document=True),
        Q("BIB-Q-C03", "Bestuurders en gevolmachtigden (huidig en in de afgelopen periode): naam, BSN of geboortedatum, sinds/tot.", "person_list"),
    ), applicant_kind="organisation"),
    QuestionnaireSection("D_ZEGGENSCHAP_EIGENDOMSSTRUCTUUR", "D. Zeggenschap en eigendomsstructuur", (
        Q("BIB-Q-D01", "Aandeelhouders (direct en indirect) met percentage; organogram van de concernstructuur.", "ownership_tree"),
        Q("BIB-Q-D02", "UBO's (uiteindelijk belanghebbenden).", "person_list"),
        Q("BIB-Q-D03", "Feitelijk leidinggevenden of beheerders die geen bestuurder zijn.", "person_list"),
        Q("BIB-Q-D04", "Andere ondernemingen waarin aanvrager, bestuurders of aandeelhouders nu of eerder betrokken waren.", "org_list"),
    )),
    QuestionnaireSection("E_FINANCIERING", "E. Financiering", (
        Q("BIB-Q-E01", "Totale investering en specificatie (koopsom/overnamesom, goodwill, inventaris, verbouwing, werkkapitaal).", "money_breakdown"),
        Q("BIB-Q-E02", "Eigen vermogen: bedrag en herkomst, met bewijsstukken (bankafschriften).", "money_with_evidence", needs_document=True),
        Q("BIB-Q-E03", "Vreemd vermogen: leningen (verstrekker, bedrag, datum, looptijd, rente, aflossing, zekerheden) met de overeenkomst.", "loan_list", needs_document=True),
        Q("BIB-Q-E04", "Schenkingen: schenker, relatie, bedrag, datum, aangifte schenkbelasting.", "gift_list"),
        Q("BIB-Q-E05", "Contante betalingen of betalingen via derden?", "bool_with_detail"),
        Q("BIB-Q-E06", "Jaarrekeningen, begroting of prognose (nieuwe onderneming).", "file", needs_document=True),
    )),
    QuestionnaireSection("F_PAND_VESTIGING", "F. Pand en vestiging", (
        Q("BIB-Q-F01", "Is de aanvrager eigenaar of huurder van het pand?", "enum"),
        Q("BIB-Q-F02", "Eigendom: koopakte, koopsom, financiering van de koop, datum levering.", "file_and_money", needs_document=True),
        Q("BIB-Q-F03", "Huur: huurovereenkomst, verhuurder (naam/KvK), huurprijs, borg, sleutelgeld/overnamesom.", "file_and_money", needs_document=True),
        Q("BIB-Q-F04", "Relatie tussen aanvrager en verhuurder of eigenaar (familie, zakelijk).", "text"),
    )),
    QuestionnaireSection("G_ANTECEDENTEN", "G. Antecedenten", (
        Q("BIB-Q-G01", "Strafrechtelijk: veroordelingen, transacties, strafbeschikkingen, lopende strafzaken of verdenkingen van aanvrager, bestuurders, aandeelhouders, leidinggevenden, financiers.", "antecedent_list"),
        Q("BIB-Q-G02", "Fiscaal: naheffingen, boetes, betalingsachterstanden bij de Belastingdienst.", "antecedent_list"),
        Q("BIB-Q-G03", "Bestuursrechtelijk: geweigerde of ingetrokken vergunningen, bestuurlijke boetes, lasten onder dwangsom, sluitingen (Opiumwet 13b), Bibob-besluiten elders.", "antecedent_list"),
        Q("BIB-Q-G04", "Faillissementen of schuldsaneringen van betrokken (rechts)personen.", "antecedent_list"),
    )),
    QuestionnaireSection("H_ZAKELIJKE_RELATIES", "H. Zakelijke relaties", (
        Q("BIB-Q-H01", "Belangrijke zakelijke relaties (leveranciers, adviseurs, franchisegever, verhuurder) en hun invloed op de bedrijfsvoering.", "relation_list"),
    )),
    QuestionnaireSection("I_ONDERTEKENING", "I. Ondertekening", (
        Q("BIB-Q-I01", "Verklaring naar waarheid ingevuld; bekend dat een valse opgave kan leiden tot weigering of intrekking (art. 3 lid 6).", "signature"),
    )),
)

QUESTIONS: dict[str, Question] = {q.id: q for s in SECTIONS for q in s.questions}
SECTION_OF: dict[str, QuestionnaireSection] = {q.id: s for s in SECTIONS for q in s.questions}


def applicable_sections(applicant_kind: str | None) -> tuple[QuestionnaireSection, ...]:
    """The sections asked of this applicant: B for a natural person, C for a legal entity (unknown: both)."""
    return tuple(s for s in SECTIONS if s.applicant_kind is None or applicant_kind is None
                 or s.applicant_kind == applicant_kind)
