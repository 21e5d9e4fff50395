"""Register matching: which register entities may an applicant, company or address be?

Two stages (see ``README.md`` beside this file for the full design, weights and limits):

1. **Candidate retrieval** from an inverted index of cheap blocking keys (exact and phonetic
   surname words, given name + surname, initial + surname, birth date and its day/month swap,
   postcode + house number, street + house number, identifiers, organisation-name words). Blocks
   are united, oversized blocks (frequent keys) are skipped, and the candidates are ranked by the
   information of the blocks they share; at most ``MAX_CANDIDATES`` are scored.
2. **Scoring** with explainable features: the maximum of name evidence and identifier evidence
   (plus corroboration), positive qualifiers (birth date, address) and subtractive ones (birth
   date, identifier, nationality, legal form and country conflicts), and a term-frequency penalty
   for names that are common *in this register*.

Usage::

    from screening.matching import Matcher, Person

    matcher = Matcher(register_records)
    for hit in matcher.match(Person(id=None, given_names="Jan", surname="de Vries")):
        print(hit.entity_id, hit.score, hit.explanation)

Pure Python: standard library, rapidfuzz, anyascii. No Flask, SQLAlchemy or barrier imports.
"""

from .matcher import ENGINE_VERSION, MAX_CANDIDATES, REVIEW_THRESHOLD, Matcher, normalise_record
from .records import Address, AddressRecord, Feature, Hit, Organisation, Person, Record

__all__ = [
    "ENGINE_VERSION",
    "MAX_CANDIDATES",
    "REVIEW_THRESHOLD",
    "Address",
    "AddressRecord",
    "Feature",
    "Hit",
    "Matcher",
    "Organisation",
    "Person",
    "Record",
    "normalise_record",
]
