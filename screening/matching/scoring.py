"""Stage 2: explainable comparison of a query with one candidate.

The score of a candidate is

    evidence  = max(name evidence, identifier evidence) + CORROBORATION * min(...)
    raw score = evidence + qualifiers (birth date, address, nationality, legal form,
                identifier conflict) - name-frequency penalty
    score     = raw score clipped to 0..1

Every term is a :class:`~screening.matching.records.Feature` with a Dutch label, the two
compared values and its contribution; the contributions add up to the raw score.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import OSA, JaroWinkler

from . import normalise as nm
from .records import Feature

# --- Weights (score units). Changing any of these changes scores: bump ENGINE_VERSION. ---------

#: Name evidence for a perfect person-name match (full given name and surname equal).
PERSON_NAME_WEIGHT = 0.85
#: Name evidence for a perfect organisation-name match.
ORG_NAME_WEIGHT = 0.85
#: A person query against a company (or the reverse): only eenmanszaak-like names that consist
#: of the person's name reach the review threshold, and only when the full given name matches.
CROSS_TYPE_WEIGHT = 0.72
#: When one side has no given names, the surname alone is weak evidence.
SURNAME_ONLY_FACTOR = 0.70
#: Given name and surname entered in each other's fields.
SWAPPED_FACTOR = 0.95
#: All name words compared as one bag (roles unknown, e.g. a whole name in the surname field).
BAG_FACTOR = 0.92
#: Similarity of an initial with a full name (or initial) that starts with the same letter.
INITIAL_SIM = 0.90
#: Similarity of two names from one roepnaam group (Jan / Johannes) or transliteration group.
NICKNAME_SIM = 0.88
#: Cap on a fuzzy word similarity: 1 - EDIT_PENALTY * edits / length.
EDIT_PENALTY = 0.5
#: Floor for two names with the same phonetic key whose Jaro-Winkler is at least 0.70.
PHONETIC_SIM = 0.80
#: Two romanisations of one Cyrillic name (:func:`normalise.translit_variants`), for words of at
#: least five letters: shorter ones are within the edit budget anyway, and Jan is not Ian.
TRANSLIT_SIM = 0.95
TRANSLIT_MIN_LENGTH = 5
#: Unmatched given names: a name the query has and the register lacks costs more than the reverse
#: (a register entry often holds all official names, an applicant writes the roepnaam).
UNMATCHED_QUERY_GIVEN = 0.30
UNMATCHED_REGISTER_GIVEN = 0.10
#: An unmatched component of a double surname (partner name) on either side.
UNMATCHED_SURNAME_COMPONENT = 0.12
#: Unmatched organisation-name words, as a share of their weight.
UNMATCHED_QUERY_ORG_WORD = 1.0
UNMATCHED_REGISTER_ORG_WORD = 0.60

#: Identifier evidence by type, and the penalty when both sides have the type but no value agrees.
ID_EVIDENCE = {"bsn": 0.95, "kvk": 0.95, "rsin": 0.95, "btw": 0.90, "vestiging": 0.90,
               "document": 0.90, "iban": 0.80}
ID_EVIDENCE_OTHER = 0.85
ID_CONFLICT = {"bsn": -0.45, "kvk": -0.35, "rsin": -0.35, "btw": -0.20}
#: Name and identifier both agreeing make each other surer.
CORROBORATION = 0.50

DOB_EQUAL = 0.15
DOB_SWAPPED = 0.10
DOB_YEAR_ONLY = 0.04
DOB_ONE_DIGIT = -0.05
DOB_CONFLICT = -0.40
#: 1 January stands in for an unknown day and month. The BRP stores unknown parts as zeros
#: ("00-00-1985", which `parse_date` reads as a year only), but a date column cannot hold them and
#: many systems write 01-01 instead; passports of several countries (Afghanistan's, for one) print
#: 1 January for people whose birth day was never recorded. Against another date of that year it
#: is read as a year only, not as a conflict; a true 1 January is one birthday in 365.
_PLACEHOLDER_DAY_MONTH = 101
NATIONALITY_CONFLICT = -0.05
ADDRESS_MATCH = 0.12
ADDRESS_WEAK = 0.03
#: Two complete addresses that differ are weak evidence against (Fellegi-Sunter: the disagreement
#: weight log2(m/u), as Splink gives every disagreeing column). People move and a register's
#: address is often years old, so we assume seven in ten listed persons who apply again live
#: elsewhere (m = 0.7, u ~ 1): -0.5 bit, at TF_WEIGHT (0.12) per bit about -0.06. Deliberately
#: far more moving than the benchmark generator's one in five, so the weight does not lean on it.
ADDRESS_CONFLICT = -0.06
LEGAL_FORM_CONFLICT = -0.05
COUNTRY_CONFLICT = -0.10
#: Name-frequency penalty per doubling of the expected number of namesakes, and its cap.
TF_WEIGHT = 0.12
TF_MAX = 0.35
#: Chance that an agreeing qualifier agrees by accident: it divides the expected namesakes.
_CHANCE_DOB = 1 / 20000
#: A birth date one digit or one transposition from another. By chance: 30-35 of the 27,758 dates
#: from 1930 to 2005 lie that close to a given one (u about 1/800). But a typo is also rare among
#: true matches, some thirty times rarer than an equal date (m), so the near date tells a name
#: apart from about 800 / 30 ~ 25 namesakes, not 800 (Fellegi-Sunter: the weight is m/u).
_CHANCE_DOB_NEAR = 1 / 25
_CHANCE_YEAR = 1 / 60
_CHANCE_ADDRESS = 1 / 100000

KIND_PERSON, KIND_ORG, KIND_ADDRESS = 1, 2, 3


@dataclass(slots=True)
class Stats:
    """Register statistics learned at index time, for term-frequency weighting."""

    n_persons: int
    n_orgs: int
    surname: Callable[[str], int]
    given: Callable[[str], int]
    org_word: Callable[[str], int]
    full_name: Callable[[str, str], int]
    org_name: Callable[[tuple[str, ...]], int]
    #: How many register addresses lie in a place of this (one-word, folded) name.
    place: Callable[[str], int] = lambda _word: 0
    #: How many register persons have a surname word at most one edit from this one (itself included).
    near_surname: Callable[[str], int] = lambda _word: 0
    #: The same for organisation-name words.
    near_org_word: Callable[[str], int] = lambda _word: 0


# --------------------------------------------------------------------------------------------
# Token similarity
# --------------------------------------------------------------------------------------------


@lru_cache(maxsize=1 << 17)
def token_sim(a: str, b: str) -> float:
    """Similarity of two folded name words: Jaro-Winkler inside a Levenshtein budget.

    A pair must be *plausible*: at most ``min(4, ceil(0.2 * shorter length))`` edits (optimal
    string alignment, so a transposition is one edit), as in OpenSanctions' rigour. Pairs
    outside the budget can still match through the phonetic key or a roepnaam group.
    """
    if a == b:
        return INITIAL_SIM if len(a) == 1 else (1.0 if a else 0.0)
    if not a or not b:
        return 0.0
    la, lb = len(a), len(b)
    if la == 1 or lb == 1:
        return INITIAL_SIM if a[0] == b[0] else 0.0
    if a.isdigit() or b.isdigit():
        return 0.0
    jw = JaroWinkler.normalized_similarity(a, b)
    budget = min(4, math.ceil(0.2 * min(la, lb)))
    if abs(la - lb) <= budget:
        dist = OSA.distance(a, b, score_cutoff=budget)
        if dist <= budget:
            # Jaro-Winkler is generous to two edits in a short name (Malewski ~ Malecki 0.90) and
            # harsh on a transposition in a very short one (Jna ~ Jan 0.56): bound it by the share
            # of the name that was edited.
            edit_sim = 1.0 - EDIT_PENALTY * dist / max(la, lb)
            translit = _translit_sim(a, b) if min(la, lb) >= TRANSLIT_MIN_LENGTH else 0.0
            return max(min(max(jw, 0.8), edit_sim), _nickname(a, b), translit)
    if min(la, lb) >= TRANSLIT_MIN_LENGTH and (sim := _translit_sim(a, b)):
        return max(sim, _nickname(a, b))
    if jw < 0.6:
        return _nickname(a, b)
    if jw >= 0.75 and la > 2 and lb > 2 and nm.phonetic(a) == nm.phonetic(b):
        return max(min(jw, 0.95), PHONETIC_SIM, _nickname(a, b))
    return _nickname(a, b)


def _translit_sim(a: str, b: str) -> float:
    """Two romanisations of one Cyrillic name ("Iurii" ~ "Yuriy", "Hnatiuk" ~ "Gnatyuk",
    "Zjoekov" ~ "Zhukov"): :data:`TRANSLIT_SIM` when they are spelt alike after
    :func:`normalise.translit_variants`, a little less with one typo beside; else 0."""
    best = 0.0
    for va in nm.translit_variants(a):
        for vb in nm.translit_variants(b):
            if va == vb:
                return TRANSLIT_SIM
            if min(len(va), len(vb)) >= 6 and OSA.distance(va, vb, score_cutoff=1) <= 1:
                best = max(best, TRANSLIT_SIM - EDIT_PENALTY / max(len(va), len(vb)))
    return best


def concat_sim(a: str, b: str) -> float:
    """Similarity of two names written without spaces (split or merged words): at most two edits."""
    if a == b:
        return 1.0
    if min(len(a), len(b)) < 6 or OSA.distance(a, b, score_cutoff=2) > 2:
        return 0.0
    return JaroWinkler.normalized_similarity(a, b)


def _nickname(a: str, b: str) -> float:
    ga = nm.NICKNAMES.get(a)
    if ga and ga & nm.NICKNAMES.get(b, frozenset()):
        return NICKNAME_SIM
    return 0.0


def _align(q: Sequence[str], r: Sequence[str],
           sim: Callable[[str, str], float] | None = None) -> list[tuple[int, int, float]]:
    """Greedy best-first 1:1 pairing of words; ties go to pairs in the same position."""
    if not q or not r:
        return []
    sim = sim or token_sim
    pairs = []
    for i, a in enumerate(q):
        for j, b in enumerate(r):
            s = sim(a, b)
            if s > 0:
                pairs.append((s + (0.001 if i == j else 0.0), i, j, s))
    if not pairs:
        return []
    pairs.sort(reverse=True)
    used_q: set[int] = set()
    used_r: set[int] = set()
    out = []
    for _key, i, j, s in pairs:
        if i not in used_q and j not in used_r:
            used_q.add(i)
            used_r.add(j)
            out.append((i, j, s))
    return out


def _word_label(s: float, a: str, b: str) -> str:
    if s >= 1.0:
        return "gelijk"
    if len(a) == 1 or len(b) == 1:
        return "voorletter past"
    if s == NICKNAME_SIM and _nickname(a, b):
        return "roepnaam/variant past"
    return "lijkt op"


# --------------------------------------------------------------------------------------------
# Person names
# --------------------------------------------------------------------------------------------


@dataclass(slots=True)
class NameResult:
    """Outcome of a person-name comparison, with what is needed to explain and TF-weight it."""

    value: float
    surname: float
    given: float | None
    mode: str  # "direct", "swapped", "bag"
    surname_token: str  # the longest matched surname word, "register|query", for TF
    given_token: str  # the matched given names (or initials), "register|query", for TF
    given_label: str
    surname_label: str

    def display(self, q: nm.PersonName, r: nm.PersonName) -> tuple[str, str, str, str]:
        """(query surname, register surname, query given, register given) as compared."""
        if self.mode == "direct":
            return display_surname(q[1]), display_surname(r[1]), display_given(q[0]), display_given(r[0])
        if self.mode == "swapped":
            return (display_given(q[0]), display_surname(r[1]), display_surname(q[1]),
                    display_given(r[0]))
        q_words = [w.capitalize() for w in (*q[0], *nm.surname_core(q)) if len(w) > 1]
        r_words = [w.capitalize() for w in (*r[0], *nm.surname_core(r)) if len(w) > 1]
        return " ".join(q_words), " ".join(r_words), "", ""


#: Abbreviated tussenvoegsels as they were written: "v.d. Meer", not "v d Meer".
_PARTICLE_DISPLAY = {("v", "d"): "v.d.", ("vd",): "v.d.", ("vdr",): "v.d.r.", ("v",): "v."}


def display_surname(comps: Sequence[nm.Component]) -> str:
    """'de Vries-Bakker' from parsed components (particles lower case, core title case)."""
    parts = []
    for particles, core in comps:
        shown = [_PARTICLE_DISPLAY[particles]] if particles in _PARTICLE_DISPLAY else list(particles)
        parts.append(" ".join([*shown, *(w.capitalize() for w in core)]))
    return "-".join(parts)


def display_given(given: Sequence[str]) -> str:
    """'Jan Peter' / 'J.P.'."""
    if given and all(len(g) == 1 for g in given):
        return "".join(f"{g.upper()}." for g in given)
    return " ".join(g.upper() + "." if len(g) == 1 else g.capitalize() for g in given)


@lru_cache(maxsize=1 << 16)
def _component_sim(qc: nm.Component, rc: nm.Component) -> float:
    qp, qcore = qc
    rp, rcore = rc
    pairs = _align(qcore, rcore)
    if pairs:
        total = sum(s for _i, _j, s in pairs)
        core = total / (len(pairs) + 0.5 * (len(qcore) - len(pairs)) + 0.3 * (len(rcore) - len(pairs)))
    else:
        core = 0.0
    # "vandenberg" against "van den berg", "Oneill" against "O'Neill".
    qcat, rcat = "".join((*qp, *qcore)), "".join((*rp, *rcore))
    if qcat == rcat:
        return 1.0
    if core < 0.9:
        # Split, merged or mistyped particles: "vandenberg", "vans Dongen" against "van Dongen".
        core = max(core, concat_sim(qcat, rcat) * 0.98)
    if qp and rp and set(qp) != set(rp) and not particles_agree(qp, rp):
        core *= 0.9  # "van Dijk" against "de Dijk"
    elif bool(qp) != bool(rp):
        core *= 0.97  # tussenvoegsel left out
    return core


def _expand_particles(particles: Sequence[str]) -> list[str]:
    return [p for word in particles for p in nm.PARTICLE_ABBREVIATIONS.get(word, (word,))]


def particles_agree(a: Sequence[str], b: Sequence[str]) -> bool:
    """Tussenvoegsels equal up to abbreviation: "v.d." is "van de", "van den" or "van der"."""
    xa, xb = _expand_particles(a), _expand_particles(b)
    if len(xa) != len(xb):
        return False
    return all(p == q or (p == "d" and q in ("de", "den", "der")) or (q == "d" and p in ("de", "den", "der"))
               for p, q in zip(xa, xb, strict=True))


def surname_sim(q: Sequence[nm.Component], r: Sequence[nm.Component]) -> tuple[float, str]:
    """Similarity of two parsed surnames (0..1) and the rarest matched core word.

    Components of double surnames are paired best-first; an unpaired component (a partner
    name on one side only) costs :data:`UNMATCHED_SURNAME_COMPONENT`.
    """
    if not q or not r:
        return 0.0, ""
    scored = []
    for i, qc in enumerate(q):
        for j, rc in enumerate(r):
            s = _component_sim(qc, rc)
            if s > 0:
                scored.append((s, i, j))
    if not scored:
        return 0.0, ""
    scored.sort(reverse=True)
    used_q: set[int] = set()
    used_r: set[int] = set()
    total = 0.0
    words: list[tuple[str, str]] = []
    for s, i, j in scored:
        if i not in used_q and j not in used_r:
            used_q.add(i)
            used_r.add(j)
            total += s
            words.append((max(r[j][1], key=len), max(q[i][1], key=len)))
    n = len(used_q)
    value = total / (n + UNMATCHED_SURNAME_COMPONENT * (len(q) - n + len(r) - n))
    if not words:
        return value, ""
    # "register word|query word" of the longest matched component, for the TF estimate.
    r_word, q_word = max(words, key=lambda pair: len(pair[0]))
    return value, f"{r_word}|{q_word}"


def _join_split_names(a: Sequence[str], b: Sequence[str]) -> Sequence[str]:
    """Join adjacent names of *a* that are one name in *b*: "Abdel Kader" ~ "Abdelkader",
    "Anne Marie" ~ "Annemarie" (a hyphen already splits "Anne-Marie"), and an Arabic name with
    its article written apart: "Abd al-Rahman" ~ "Abdulrahman"."""
    if len(a) < 2:
        return a

    def in_b(joined: str, least: float = 0.9) -> bool:
        return any(w == joined or (abs(len(w) - len(joined)) <= 2 and len(w) > 5 and concat_sim(w, joined) >= least)
                   for w in b)

    out = list(a)
    i = 0
    while i < len(out) - 1:
        first, second = out[i], out[i + 1]
        if len(first) > 1 and len(second) > 1:
            if in_b(first + second):
                out[i:i + 2] = [first + second]
                continue
            # The article's vowel varies (al/el/ul): one substitution inside the joined name.
            if (len(second) == 2 and i + 2 < len(out) and len(out[i + 2]) > 1
                    and in_b(first + second + out[i + 2], 0.85)):
                out[i:i + 3] = [first + second + out[i + 2]]
                continue
        i += 1
    return out


#: Endings that make one given name the other's feminine form (the rest of the two names equal):
#: Hendrik/Hendrika, Jan/Janna, Christiaan/Christianne, Johannes/Johanna, Cornelis/Cornelia,
#: Paulus/Paula, Mario/Maria, Michel/Michelle, Henri/Henriette. Such names are one letter or two
#: apart, yet name a brother and a sister. Diminutives (-ke, -je: Anne/Anneke) are left out:
#: they keep the gender.
_GENDERED_ENDINGS = frozenset({
    ("", "a"), ("", "na"), ("", "ne"), ("", "ina"), ("", "ine"), ("", "le"), ("", "ette"),
    ("s", "a"), ("us", "a"), ("es", "a"), ("o", "a"), ("an", "nne"),
})


def gendered_pair(a: str, b: str) -> bool:
    """True when one given name is the other's feminine (or masculine) form."""
    if a == b or min(len(a), len(b)) < 3 or _nickname(a, b):
        return False
    common = len(os.path.commonprefix((a, b)))
    if common < 3:
        return False
    ends = (a[common:], b[common:])
    return ends in _GENDERED_ENDINGS or ends[::-1] in _GENDERED_ENDINGS


def given_token_sim(a: str, b: str) -> float:
    """:func:`token_sim` for given names: a name's feminine form is another name."""
    return 0.0 if gendered_pair(a, b) else token_sim(a, b)


def given_sim(q: Sequence[str], r: Sequence[str]) -> tuple[float | None, str, str]:
    """Similarity of two given-name lists, ``None`` when one side has none; plus a label."""
    if not q or not r:
        return None, "", ""
    if len(q) != len(r):
        q, r = _join_split_names(q, r), _join_split_names(r, q)
    pairs = _align(q, r, given_token_sim)
    if not pairs:
        return 0.0, "", "voornaam wijkt af"
    total = sum(s for _i, _j, s in pairs)
    n = len(pairs)
    value = total / (n + UNMATCHED_QUERY_GIVEN * (len(q) - n) + UNMATCHED_REGISTER_GIVEN * (len(r) - n))
    # The matched names, first one first, "register|query", for the TF estimate ("jan|jan", "j p|j p").
    matched = [(r[j], q[i]) for i, j, _s in sorted(pairs)]
    if all(len(q[i]) > 1 and len(r[j]) > 1 for i, j, _s in pairs):
        label = "voornamen gelijk" if all(s >= 1 for _i, _j, s in pairs) else "voornamen lijken op"
        if any(_word_label(s, q[i], r[j]).startswith("roepnaam") for i, j, s in pairs):
            label = "roepnaam/variant past"
    else:
        label = "voorletters passen"
        matched = [(a[0], b[0]) for a, b in matched]
    token = " ".join(a for a, _b in matched) + "|" + " ".join(b for _a, b in matched)
    if len(q) != n or len(r) != n:
        label += " (deels)"
    return value, token, label


def _bag_sim(q: Sequence[str], r: Sequence[str]) -> float:
    pairs = _align(q, r)
    if len(pairs) < 2:
        return 0.0
    total = sum(s for _i, _j, s in pairs)
    n = len(pairs)
    return total / (n + 0.5 * (len(q) - n) + 0.2 * (len(r) - n))


def _swapped(q: nm.PersonName, r: nm.PersonName, best: NameResult, s: float) -> NameResult:
    """Given name and surname entered in each other's fields ("Vries Jan de")."""
    qg, qc = q
    rg, rc = r
    r_cores = nm.surname_core(r)
    # Only worth trying when a query given name resembles a register surname word.
    q_full_given = tuple(t for t in qg if len(t) > 1)
    if q_full_given and rg and s < 0.8 and any(token_sim(a, b) for a in q_full_given for b in r_cores):
        s2, s2_word = surname_sim(tuple(nm.components(list(q_full_given))), rc)
        g2, g2_word, g2_label = given_sim(nm.surname_core(q), rg)
        if s2 and g2:
            value = s2 * g2 * SWAPPED_FACTOR
            if value > best.value:
                best = NameResult(
                    value=value, surname=s2, given=g2, mode="swapped", surname_token=s2_word,
                    given_token=g2_word, given_label=g2_label + " (verwisseld)",
                    surname_label="achternaam in voornaamveld",
                )
    return best


def person_name_sim(q: nm.PersonName, r: nm.PersonName) -> NameResult:
    """Compare two parsed person names directly, with roles swapped, and as a bag of words."""
    qg, qc = q
    rg, rc = r
    r_cores = nm.surname_core(r)
    if not qc and not rc:
        # Given names only on both sides: weak evidence at best.
        g0, g0_word, g0_label = given_sim(qg, rg)
        best = NameResult(value=(g0 or 0.0) * SURNAME_ONLY_FACTOR, surname=0.0, given=g0, mode="direct",
                          surname_token="", given_token=g0_word,  # nosec B106 # a name token, not a password
                          given_label=(g0_label or "voornamen") + " (zonder achternaam)",
                          surname_label="achternaam ontbreekt")
    else:
        s, s_word = surname_sim(qc, rc)
        g, g_word, g_label = given_sim(qg, rg)
        factor = SURNAME_ONLY_FACTOR if g is None else g
        best = NameResult(
            value=s * factor, surname=s, given=g, mode="direct", surname_token=s_word, given_token=g_word,
            given_label=g_label, surname_label="achternaam gelijk" if s >= 0.999 else "achternaam lijkt op",
        )
        if best.value >= 0.85 or (s >= 0.8 and g is None and len(nm.surname_core(q)) == 1):
            return best
        best = _swapped(q, r, best, s)
    # Roles unknown (a whole name in one field, or given names missing on one side): compare all
    # words as a bag.
    if not qg or not rg or not qc or not rc or len(qc) > 1 or len(rc) > 1:
        q_words = tuple(t for t in (*qg, *nm.surname_core(q)) if len(t) > 1)
        r_words = tuple(t for t in (*rg, *r_cores) if len(t) > 1)
        if len(q_words) >= 2 and len(r_words) >= 2:
            b = _bag_sim(q_words, r_words) * BAG_FACTOR
            if b > best.value:
                # The two longest matched words ("register|query"), whatever their role, for TF.
                pairs = sorted(((r_words[j], q_words[i]) for i, j, _s in _align(q_words, r_words)),
                               key=lambda pair: (-len(pair[0]), pair))
                word = "|".join(pairs[0]) if pairs else ""
                other = "|".join(pairs[1]) if len(pairs) > 1 else ""
                best = NameResult(
                    value=b, surname=b, given=b, mode="bag", surname_token=word,
                    given_token=other, given_label="",
                    surname_label="naam lijkt op (volgorde/velden wijken af)",
                )
    return best


# --------------------------------------------------------------------------------------------
# Organisation names
# --------------------------------------------------------------------------------------------

GENERIC_WEIGHT = 0.5


def org_word_weight(word: str, stats: Stats) -> float:
    """Information of an organisation-name word, learned from the register (IDF, in bits)."""
    if word in nm.GENERIC_ORG_WORDS or word in nm.PARTICLES:
        return GENERIC_WEIGHT
    if word.isdigit():
        return 3.0
    if len(word) == 1:
        return 1.0
    df = stats.org_word(word)
    return min(14.0, max(1.0, math.log2((stats.n_orgs + 1) / (df + 1))))


#: Tails of Dutch trade compounds ("loonbedrijf", "autohandel", "kapsalon"). Two words with the
#: same tail are compared by what comes before it: "Loonbedrijf" and "Sloopbedrijf" share seven of
#: eleven letters yet name different trades (as whole words they scored 0.91).
COMPOUND_TAILS = tuple(sorted([
    "bedrijf", "bedrijven", "handel", "service", "services", "techniek", "bouw", "verhuur", "transport",
    "installatie", "installaties", "winkel", "salon", "studio", "centrum", "zaak", "hoeve", "huis", "groep",
    "beheer", "markt"], key=len, reverse=True))


#: Tails that only say "company" or "agency": "Bouwbedrijf" is the trade "Bouw", "Escortbureau" and
#: "Escortservice" are the trade "Escort".
COMPANY_TAILS = ("bedrijven", "bedrijf", "onderneming", "bureau", "services", "service")
#: Similarity of such a compound with its bare head, as of a name with its roepnaam.
COMPANY_TAIL_SIM = 0.90
#: Tails that name the kind of establishment of a trade: "Massagesalon", "Massagepraktijk",
#: "Saunaclub", "Privéhuis" are the trade written with its premises; a little weaker than a tail
#: that only says "company" (a head of at least four letters: "Kapsalon" is no "Kap").
ESTABLISHMENT_TAILS = ("praktijk", "salon", "studio", "club", "huis", "winkel", "zaak")
ESTABLISHMENT_TAIL_SIM = 0.85


#: Dutch inflections of a short word in company names: "Thai" / "Thaise Massage", "Pools" /
#: "Poolse", "Massage" / "Massages". A stem of four letters is too short for the edit budget.
INFLECTIONS = ("e", "s", "se", "en", "es")
INFLECTION_SIM = 0.92


def _company_head(word: str) -> str:
    """The trade of a compound whose tail only says "company" ("escortbureau" -> "escort")."""
    for tail in COMPANY_TAILS:
        if word.endswith(tail) and len(word) - len(tail) > 2:
            return word[: -len(tail)]
    return word


def org_token_sim(a: str, b: str) -> float:
    """:func:`token_sim` for words of a company name, aware of trade compounds (COMPOUND_TAILS)."""
    if a != b:
        long, short = (a, b) if len(a) > len(b) else (b, a)
        if len(short) > 2 and long.startswith(short):
            rest = long[len(short):]
            if rest in COMPANY_TAILS:
                return COMPANY_TAIL_SIM
            if len(short) >= 4 and rest in ESTABLISHMENT_TAILS:
                return ESTABLISHMENT_TAIL_SIM
            if len(short) >= 4 and rest in INFLECTIONS:
                return max(INFLECTION_SIM, token_sim(a, b))
        head_a, head_b = _company_head(a), _company_head(b)
        if head_a != a and head_b != b and head_a == head_b:
            return COMPANY_TAIL_SIM  # "Escortbureau" ~ "Escortservice"
        for tail in COMPOUND_TAILS:
            if a.endswith(tail) and b.endswith(tail):
                head_a, head_b = a[: -len(tail)], b[: -len(tail)]
                if len(head_a) > 1 and len(head_b) > 1:
                    return token_sim(head_a, head_b)
                break
    return token_sim(a, b)


#: A place name that only one of two company names carries costs this share of its weight:
#: "Club Paradise Emmen B.V." trades as "Paradise Club". Two different places cost in full
#: ("Kapsalon Emmen" is not "Kapsalon Assen").
UNMATCHED_PLACE_WORD = 0.25


def _particle_runs(words: Sequence[str]) -> tuple[str, ...]:
    """Company-name words with the tussenvoegsels of a surname in one spelling: "v.d. Berg",
    "vd Berg", "van den Berg" and "van der Berg" all read "van d berg" (a company name does not
    tell van de from van der the way a person's name does, and the particles weigh little)."""
    out: list[str] = []
    for word in words:
        if word in nm.PARTICLE_ABBREVIATIONS:
            out.extend(("van", "d") if word != "v" else ("van",))
        elif word in ("d", "de", "den", "der") and out and out[-1] == "van":
            out.append("d")
        else:
            out.append(word)
    return tuple(out)


def org_name_parts(words: Sequence[str]) -> list[tuple[str, ...]]:
    """The names a company goes by: the statutory name and each trade name ("h.o.d.n."), or the
    one name it has."""
    if nm.TRADING_AS not in words:
        return [tuple(words)]
    parts: list[list[str]] = [[]]
    for word in words:
        if word == nm.TRADING_AS:
            parts.append([])
        else:
            parts[-1].append(word)
    return [tuple(part) for part in parts if part]


def org_name_match(q: Sequence[str], r: Sequence[str], stats: Stats,
                   places: Sequence[str] = ()) -> tuple[float, tuple[str, ...], tuple[str, ...]]:
    """:func:`org_name_sim` of the best pair of names the two companies go by, and that pair."""
    q_parts, r_parts = org_name_parts(q), org_name_parts(r)
    if len(q_parts) == 1 and len(r_parts) == 1:
        return org_name_sim(q, r, stats, places), q_parts[0], r_parts[0]
    return max(((org_name_sim(qp, rp, stats, places), qp, rp) for qp in q_parts for rp in r_parts),
               key=lambda found: found[0])


def org_name_sim(q: Sequence[str], r: Sequence[str], stats: Stats, places: Sequence[str] = ()) -> float:
    """IDF-weighted, order-insensitive word alignment of two organisation names (0..1).

    *places* are the (folded) places of the two records' addresses: a name word that names one is
    a place even when the register knows no other address there."""
    if not q or not r:
        return 0.0
    qcat, rcat = "".join(q), "".join(r)
    if qcat == rcat or "".join(sorted(q)) == "".join(sorted(r)):
        return 1.0
    if nm.PARTICLES.intersection(q) or nm.PARTICLES.intersection(r):
        q, r = _particle_runs(q), _particle_runs(r)
        if q == r or sorted(q) == sorted(r):
            return 1.0
    if len(q) != len(r):
        q, r = _rejoined(q, r), _rejoined(r, q)
    wq = [org_word_weight(w, stats) for w in q]
    wr = [org_word_weight(w, stats) for w in r]
    pairs = _align(q, r, org_token_sim)
    # Squared: with no given names or birth dates to lean on, a company name must agree closely
    # (Meulen ~ Meeusen, two edits, is 0.86 as a word but 0.73 here).
    matched = sum(s * s * max(wq[i], wr[j]) for i, j, s in pairs)
    weight = sum(max(wq[i], wr[j]) for i, j, _s in pairs)
    used_q = {i for i, _j, _s in pairs}
    used_r = {j for _i, j, _s in pairs}
    left_q = [i for i in range(len(q)) if i not in used_q]
    left_r = [j for j in range(len(r)) if j not in used_r]
    place_q = [i for i in left_q if _is_place(q[i], stats, places)]
    place_r = [j for j in left_r if _is_place(r[j], stats, places)]
    if place_q and place_r:
        place_q = place_r = []  # two different places: different businesses, or branches
    cost_q = dict.fromkeys(place_q, UNMATCHED_PLACE_WORD)
    cost_r = dict.fromkeys(place_r, UNMATCHED_PLACE_WORD)
    weight += sum(cost_q.get(i, UNMATCHED_QUERY_ORG_WORD) * wq[i] for i in left_q)
    weight += sum(cost_r.get(j, UNMATCHED_REGISTER_ORG_WORD) * wr[j] for j in left_r)
    value = matched / weight if weight else 0.0
    if value < 0.9 and len(q) != len(r):
        # "Vriesbouw" against "Vries Bouw": compare the names without spaces.
        value = max(value, concat_sim(qcat, rcat) * 0.95)
    return value


def _rejoined(words: Sequence[str], other: Sequence[str]) -> Sequence[str]:
    """*words* with two neighbours joined where *other* writes them as one word
    ("Top Uitzendbureau" against "TopUitzendbureau", "Sauna Club" against "Saunaclub")."""
    joined = set(other)
    out = list(words)
    i = 0
    while i < len(out) - 1:
        if out[i] + out[i + 1] in joined:
            out[i : i + 2] = [out[i] + out[i + 1]]
        i += 1
    return out if len(out) < len(words) else words


def _is_place(word: str, stats: Stats, places: Sequence[str] = ()) -> bool:
    """A word that names a place in the register's addresses or the compared records' own (and
    is not a particle or a generic word such as "Holding")."""
    return (len(word) > 2 and word not in nm.PARTICLES and word not in nm.GENERIC_ORG_WORDS
            and (word in places or stats.place(word) > 0))


#: Words a company name writes in lower case ("Jansen en Zonen", "Clean & Co" reads "en").
_LOWER_CASE_ORG_WORDS = frozenset({"en", "and", "und", "et", "of", "the"}) | nm.PARTICLES


def display_org(words: Sequence[str]) -> str:
    return " ".join("h.o.d.n." if w == nm.TRADING_AS else w if w in _LOWER_CASE_ORG_WORDS else w.capitalize()
                    for w in words)


# --------------------------------------------------------------------------------------------
# Dates, addresses, identifiers
# --------------------------------------------------------------------------------------------


def dob_compare(q: int, r: int) -> tuple[float, str, float]:
    """(contribution, Dutch label, chance of agreeing by accident) of two birth dates."""
    if not q or not r:
        return 0.0, "", 1.0
    if q == r:
        if q % 10000 == 0:
            return DOB_YEAR_ONLY, "geboortejaar gelijk", _CHANCE_YEAR
        return DOB_EQUAL, "geboortedatum gelijk", _CHANCE_DOB
    qy, ry = q // 10000, r // 10000
    if qy == ry and _PLACEHOLDER_DAY_MONTH in (q % 10000, r % 10000):
        return DOB_YEAR_ONLY, "geboortejaar gelijk; 1 januari staat vaak voor onbekende dag en maand", _CHANCE_YEAR
    if q % 10000 == 0 or r % 10000 == 0:
        if qy == ry:
            return DOB_YEAR_ONLY, "alleen geboortejaar bekend, gelijk", _CHANCE_YEAR
        if OSA.distance(str(qy), str(ry)) <= 1:
            return DOB_ONE_DIGIT, "geboortejaar lijkt op (tikfout?)", 1.0
        return DOB_CONFLICT, "geboortejaar wijkt af", 1.0
    qm, qd, rm, rd = q // 100 % 100, q % 100, r // 100 % 100, r % 100
    if qy == ry and qm == rd and qd == rm:
        return DOB_SWAPPED, "geboortedatum gelijk, dag en maand verwisseld", _CHANCE_DOB
    if OSA.distance(str(q), str(r)) <= 1:
        return DOB_ONE_DIGIT, "geboortedatum lijkt op (één cijfer verschilt)", _CHANCE_DOB_NEAR
    return DOB_CONFLICT, "geboortedatum wijkt af", 1.0


def display_address(a: nm.NormAddress) -> str:
    pc, number, suffix, street, city, _country = a
    if nm.is_nl_postcode(pc):
        pc = f"{pc[:4]} {pc[4:]}"
    house = number + (f"-{suffix}" if suffix else "")
    parts = [p for p in (" ".join(x for x in (street.title(), house) if x), pc, city.title()) if p]
    return ", ".join(parts)


def _street_sim(a: str, b: str) -> float:
    if not a or not b:
        return 0.0
    a, b = a.replace(" ", ""), b.replace(" ", "")
    if a == b:
        return 1.0
    return token_sim(a, b)


def address_sim(q: nm.NormAddress, r: nm.NormAddress) -> tuple[float, str]:
    """Similarity of two normalised addresses (0..1) and a Dutch label.

    Postcode + house number is the Dutch address key (a PC6 holds about 20 addresses, so with
    the number it is nearly unique); street + number + place replaces it when a postcode is
    missing or mistyped. A different house-number suffix (12a against 12b) is another dwelling.
    """
    qpc, qn, qs, qstreet, qcity, qcountry = q
    rpc, rn, rs, rstreet, rcity, rcountry = r
    if qcountry and rcountry and qcountry != rcountry:
        return 0.0, ""
    if not qn or not rn:
        if qpc and qpc == rpc and len(qpc) >= 4 and _street_sim(qstreet, rstreet) >= 0.9:
            return 0.5, "zelfde postcode en straat, huisnummer ontbreekt"
        return 0.0, ""
    pc_equal = bool(qpc) and qpc == rpc and len(qpc) >= 4
    street = _street_sim(qstreet, rstreet)
    if qn != rn:
        if pc_equal or (street >= 0.9 and qcity == rcity):
            return 0.3, "zelfde straat of postcode, ander huisnummer"
        return 0.0, ""
    city_equal = bool(qcity) and (qcity == rcity or token_sim(qcity.replace(" ", ""),
                                                              rcity.replace(" ", "")) >= 0.9)
    pc4_equal = bool(qpc) and len(qpc) >= 4 and qpc[:4] == rpc[:4]
    pc_near = bool(qpc and rpc) and nm.is_nl_postcode(qpc) and nm.is_nl_postcode(rpc) and (
        OSA.distance(qpc, rpc) <= 1
    )
    if pc_equal:
        value, label = 1.0, "postcode + huisnummer gelijk"
        if street == 0.0 and qstreet and rstreet:
            value, label = 0.9, "postcode + huisnummer gelijk, straat wijkt af"
    elif street >= 0.85 and (city_equal or pc4_equal or pc_near):
        value, label = 0.9 + 0.05 * (street >= 1.0), "straat + huisnummer + plaats gelijk"
    elif pc_near and (street >= 0.85 or not qstreet or not rstreet):
        value, label = 0.8, "postcode lijkt op, huisnummer gelijk"
    elif street >= 0.85 and (not qcity or not rcity) and (not qpc or not rpc):
        value, label = 0.75, "straat + huisnummer gelijk (plaats onbekend)"
    else:
        return 0.0, ""
    if qs != rs:
        if qs and rs:
            value, label = value * 0.55, label + ", toevoeging wijkt af"
        else:
            value, label = value * 0.9, label + ", toevoeging ontbreekt"
    return value, label


def address_complete(a: nm.NormAddress) -> bool:
    """Does this address name one dwelling: Dutch postcode + house number, or street + number + place?"""
    pc, number, _suffix, street, city, _country = a
    return bool(number) and (nm.is_nl_postcode(pc) or bool(street and city))


_ID_LABEL = {"bsn": "BSN", "kvk": "KvK-nummer", "rsin": "RSIN", "btw": "btw-nummer",
             "vestiging": "vestigingsnummer", "document": "documentnummer", "iban": "IBAN"}


def id_compare(
    q: Sequence[tuple[str, str]], r: Sequence[tuple[str, str]], same_kind: bool
) -> tuple[float, str, str, float, str]:
    """(evidence, label, value, conflict penalty, conflict label) of two identifier sets."""
    if not q or not r:
        return 0.0, "", "", 0.0, ""
    evidence, label, value = 0.0, "", ""
    r_set = set(r)
    for kind, v in q:
        if (kind, v) in r_set:
            e = ID_EVIDENCE.get(kind, ID_EVIDENCE_OTHER)
            if e > evidence:
                evidence, label, value = e, f"{_ID_LABEL.get(kind, kind)} gelijk", v
    conflict, conflict_label = 0.0, ""
    if same_kind:
        q_types = {k for k, _v in q}
        r_types = {k for k, _v in r}
        for kind in q_types & r_types:
            penalty = ID_CONFLICT.get(kind, 0.0)
            qv = {v for k, v in q if k == kind}
            rv = {v for k, v in r if k == kind}
            if penalty and not qv & rv:
                # One typo is a typo, not a different entity: no penalty then.
                if any(OSA.distance(a, b) <= 1 for a in qv for b in rv):
                    continue
                if penalty < conflict:
                    conflict = penalty
                    conflict_label = f"{_ID_LABEL.get(kind, kind)} verschilt"
    return evidence, label, value, conflict, conflict_label


def tf_penalty(expected_namesakes: float) -> float:
    """Splink-style term-frequency adjustment, as a penalty in score units.

    ``expected_namesakes`` is how many register entries are expected to share this name (and
    any agreeing birth date or address) by chance; each doubling costs :data:`TF_WEIGHT`.
    """
    if expected_namesakes <= 1.0:
        return 0.0
    return min(TF_MAX, TF_WEIGHT * math.log2(expected_namesakes))


def fmt(x: float) -> str:
    """Dutch decimal notation with sign: +0,15 / −0,40."""
    return f"{x:+.2f}".replace(".", ",").replace("-", "−")


def explain(features: Sequence[Feature]) -> str:
    """The joined Dutch explanation of a hit."""
    parts = []
    for f in features:
        values = ""
        if f.query_value or f.register_value:
            values = f"{f.query_value} ~ {f.register_value}; "
        parts.append(f"{f.label} ({values}{fmt(f.contribution)})")
    return ", ".join(parts)
