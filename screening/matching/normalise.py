"""Normalisation of untrusted names, dates, identifiers and addresses into comparable forms.

Every function here accepts anything (``None``, numbers, 10 MB strings, control characters,
any script) and returns a normalised value; none of them raises on bad input. All of them are
idempotent on their own output (``fold(fold(x)) == fold(x)``), which the tests check.

The forms are ASCII: :func:`fold` transliterates with *anyascii* (Łukasz -> lukasz,
Ștefan -> stefan, Шевченко -> shevchenko, محمد -> mhmd), lowercases and turns every
non-alphanumeric character into a single space.
"""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from anyascii import anyascii
from rapidfuzz.distance import OSA

#: Longest field we read. Longer input is cut: no real name, street or number is longer, and
#: it bounds the cost of a hostile 10 MB string to microseconds.
MAX_FIELD_CHARS = 200
#: At most this many tokens of one name are used (a name with 40 "words" is garbage).
MAX_TOKENS = 12

def _words(text: str) -> list[str]:
    return text.split()


_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_APOSTROPHES = re.compile(r"(?<=\w)['`\"](?=\w)")
_CONTROL_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})


def clean(value: Any, limit: int = MAX_FIELD_CHARS) -> str:
    """Return *value* as a bounded ``str`` without control characters ('' for ``None``)."""
    if type(value) is str and len(value) <= limit and value.isprintable():
        return value  # the common case, fast
    if value is None:
        return ""
    if not isinstance(value, str):
        if isinstance(value, bytes | bytearray):
            value = bytes(value[: limit * 4]).decode("utf-8", "replace")
        else:
            try:
                value = str(value)
            except Exception:  # a hostile __str__ must not break screening
                return ""
    value = value[:limit]
    if value.isprintable():
        return value
    return "".join(" " if unicodedata.category(ch) in _CONTROL_CATEGORIES else ch for ch in value)


@lru_cache(maxsize=1 << 17)
def _fold_cached(text: str) -> str:
    # Apostrophes join (O'Neill -> oneill; anyascii writes the Cyrillic soft sign as one).
    ascii_text = _APOSTROPHES.sub("", anyascii(text).lower())
    return " ".join(_NON_ALNUM.split(ascii_text)).strip()


def fold(value: Any) -> str:
    """ASCII-fold, lowercase and single-space *value*; '' for empty or unusable input."""
    text = clean(value)
    if not text:
        return ""
    return _fold_cached(text)


def tokens(value: Any) -> tuple[str, ...]:
    """The folded words of *value*, at most :data:`MAX_TOKENS`."""
    folded = fold(value)
    return tuple(folded.split()[:MAX_TOKENS]) if folded else ()


# --------------------------------------------------------------------------------------------
# Phonetic key
# --------------------------------------------------------------------------------------------

# Ordered rewrites for a Dutch-aware key that also bridges the usual transliterations of Slavic,
# Romanian and Arabic names (Sjevtsjenko / Shevchenko / Szewczenko, Chalid / Khalid). The sounds
# /ʃ/, /tʃ/ and /x/ collapse into one class: a looser key only widens a candidate block, the
# scorer decides.
_PHONETIC_RULES: tuple[tuple[str, str], ...] = (
    # The consonant w of Arabic names written the French or Dutch way: Anouar/Anwar, Ouafa/Wafa.
    ("oua", "wa"), ("oea", "wa"),
    ("tsch", "S"), ("tsj", "S"), ("tch", "S"), ("sch", "S"), ("sh", "S"), ("sj", "S"), ("sz", "S"),
    ("cz", "S"), ("zh", "S"), ("ch", "S"), ("kh", "S"), ("gh", "g"), ("ph", "f"), ("th", "t"),
    ("dt", "t"), ("dj", "j"), ("ck", "k"), ("qu", "kv"), ("q", "k"), ("x", "ks"), ("ci", "si"), ("ce", "se"),
    ("cy", "sy"), ("c", "k"), ("z", "s"), ("w", "v"), ("v", "f"), ("ij", "y"), ("j", "y"),
)
_PHONETIC_DROP = frozenset("aeiouyh")

#: One Cyrillic name, several Latin spellings: the passport's (ICAO 9303 and Ukraine's table: Iurii,
#: Hnatiuk, Serhii), anyascii's of the same letters (Yuriy, Gnatyuk, Sergiy), Dutch (Joeri Zjoekov,
#: Sjevtsjenko, Tymosjenko), German (Tkatschenko) and Polish (Szewczenko). These rewrites write
#: them alike: the vowel-glides y/j as i, Ukrainian h for Russian g, the sibilant digraphs as one
#: letter, Dutch oe and French ou as u, w as v; the i's that meet then are one (Iurii ~ Yuriy).
#: A lone "ch" is Ч in English and ICAO spelling (Shevchenko, Kovalchuk) but Х in Dutch and German
#: (Chroesjtsjov, Charkov): it is read both ways (:func:`translit_variants`).
_TRANSLIT_RULES: tuple[tuple[str, str], ...] = (
    ("schtsch", "sc"), ("sjtsj", "sc"), ("shch", "sc"), ("szcz", "sc"),
    ("tsch", "c"), ("tsj", "c"), ("cz", "c"), ("sj", "s"), ("sh", "s"), ("sz", "s"),
    ("zj", "z"), ("zh", "z"), ("kh", "h"), ("ch", "c"), ("oe", "u"), ("ou", "u"), ("w", "v"),
    ("j", "i"), ("y", "i"), ("g", "h"),
)
_TRANSLIT_RULES_CH_AS_KH = tuple(("ch", "h") if old == "ch" else (old, new) for old, new in _TRANSLIT_RULES)


def _rewrite(token: str, rules: tuple[tuple[str, str], ...]) -> str:
    for old, new in rules:
        if old in token:
            token = token.replace(old, new)
    return re.sub("i+", "i", token)


@lru_cache(maxsize=1 << 17)
def translit_variants(token: str) -> tuple[str, ...]:
    """*token* with the spelling differences of Cyrillic romanisations written alike
    (``"iurii"`` and ``"yuriy"`` both ``"iuri"``): one form, or two when a lone "ch" may be Ч or Х;
    for comparing, never for display."""
    as_che = _rewrite(token, _TRANSLIT_RULES)
    as_kha = _rewrite(token, _TRANSLIT_RULES_CH_AS_KH)
    return (as_che,) if as_kha == as_che else (as_che, as_kha)


@lru_cache(maxsize=1 << 17)
def phonetic(token: str) -> str:
    """A coarse Dutch-aware sound key of one folded token ('' for digits or very short tokens).

    Vowels and *h* are dropped after the first letter (so Mohammed, Muhammad and Mohamed share
    ``mmt``), spelling pairs such as ij/y/ei, ch/g-like clusters, c/k, z/s, v/w/f are merged.
    """
    if len(token) < 2 or not token.isalpha():
        return ""
    s = token
    if len(s) > 5 and s.endswith("en"):
        # Dutch speaks a final -en as -e: Gerritsen ~ Gerritse, Cornelissen ~ Kornelisse.
        s = s[:-1]
    # Collapse doubled letters first: "mm" in Mohammed is spelling, not sound; again after the
    # rewrites, which can double a letter (Hendrikx: "kks").
    s = re.sub(r"(.)\1+", r"\1", s)
    for old, new in _PHONETIC_RULES:
        if old in s:
            s = s.replace(old, new)
    s = re.sub(r"(.)\1+", r"\1", s)
    if s.endswith("d"):
        s = s[:-1] + "t"
    first = s[0]
    if first in "aeiou":
        first = "a"
    # Doubled letters were collapsed above; letters that meet after vowel removal stay
    # (Mohammed "mmt" is not Matt "mt").
    return first.lower() + "".join(ch.lower() for ch in s[1:] if ch not in _PHONETIC_DROP)


# --------------------------------------------------------------------------------------------
# Person names
# --------------------------------------------------------------------------------------------

#: Dutch voorvoegsels (BRP table 36, the common ones) plus the particles of neighbouring languages
#: and Arabic articles. They are matched as symbols, never fuzzily, and carry little weight.
PARTICLES = frozenset(
    _words("van de der den het t s te ter ten in op aan bij uit onder voor over la le l d du des del della "
    "di da dos das do von vom zu zum zur y al el ibn ben bin bint abu v vd vdr")
)
#: Abbreviated tussenvoegsels ("v.d. Meer", "vd Berg", "v. Dijk") and what they may stand for.
PARTICLE_ABBREVIATIONS: dict[str, tuple[str, ...]] = {"v": ("van",), "vd": ("van", "d"), "vdr": ("van", "der")}
# "ben", "el" and "al" are also real given names / surnames; they are only particles when another
# core token follows in the same component.
_WEAK_PARTICLES = frozenset({"ben", "bin", "al", "el", "abu", "la", "le", "da", "do", "di", "y", "v", "vd", "vdr"})

# Markers that join an own name and a partner's name, as in "Bakker e/v de Vries", as folded words.
_PARTNER_MARKERS: tuple[tuple[str, ...], ...] = (
    ("e", "v"), ("ev",), ("echtgenote", "van"), ("echtgenoot", "van"), ("weduwe", "van"), ("wed",),
    ("gehuwd", "met"), ("gescheiden", "van"), ("geb",), ("geboren",))
# A quick test on the folded text before the word-by-word search (most names have no marker).
_PARTNER_HINT = re.compile(r"\b(?:" + "|".join(" ".join(m) for m in _PARTNER_MARKERS) + r")\b")
_SURNAME_SPLIT = re.compile(r"\s*[-‐‑‒–—/+&]\s*")
_VOWELS = frozenset("aeiouy")

#: Dutch roepnamen and their official forms, plus common transliteration pairs. Tokens that share
#: a group are compared as "roepnaam past" (a real-world error: forms say "Jan", the BRP
#: "Johannes").
_NICKNAME_GROUPS: tuple[str, ...] = (
    "jan johannes johan hans jo joop john jean",
    "kees cornelis cor corne",
    "piet petrus pieter peter pierre peer piotr petro petr",
    "henk hendrik hendrikus henri henry hein henricus harrie harry",
    "wim willem wilhelmus william willy pim",
    "klaas nicolaas niek nico nicolas nick nicolae mykola nikolai nikolay",
    "gerrit gerardus gert ger gerard gerhard",
    "bert albert lambertus hubertus gijsbert engelbert",
    "huub hubertus",
    "dirk theodorus dick",
    "theo theodorus dorus",
    "ton antonius toon anton tonnie teun",
    "frans franciscus francois",
    "jaap jacobus sjaak koos jacob jacques jakub jakob",
    "thijs mathijs matthijs mathias matthias mateusz",
    "bas sebastiaan",
    "rob robert robbert bob",
    "arie adrianus adriaan adrie ad janus",
    "jos josephus jozef joseph josef joep sjef",
    "tinus martinus martin maarten marcin",
    "rinus marinus",
    "ben bernardus bernard barend",
    "leo leonardus leen leon",
    "noud arnoldus arnold nol",
    "laurens laurentius lau rens",
    "frits fredericus frederik freek fred",
    "chris christiaan christianus christian",
    "ria maria marie mies mia marja marieke mieke",
    "annie anna anneke anne",
    "truus geertruida trui",
    "mien wilhelmina willemijn mina wilma willy",
    "jo johanna hanna joke hanneke jannie janna annie joanna ioana",
    "bep elisabeth lies els elly betty liesbeth elsje",
    "greet margaretha grietje margriet greetje marga",
    "toos catharina katrien cato tineke trijntje",
    "nel petronella neeltje cornelia nelleke nelly",
    "corrie cornelia",
    "riek hendrika rika henny",
    "coby jacoba",
    "gerda gerarda gerharda",
    "thea theodora dora",
    "alie alida lida",
    "alex alexander sander alexandru aleksander oleksandr aleksandr",
    "aleksandra alexandra sandra",
    "mohammed muhammad mohamed mohamad mohammad mehmet",
    "ahmed ahmad ahmet",
    "youssef yusuf youssouf joesoef yousef",
    "ibrahim ebrahim",
    "mustafa mustapha moestafa",
    "abdullah abdallah abdellah",
    "abderrahman abdelrahman abdulrahman abderahman",
    "hussein hoessein hussain husein",
    "aicha aisha aischa aysha",
    "lukasz lucas lukas",
    "pawel paul paulus pavlo pavel",
    "tomasz thomas tomas tom",
    "michal michael michiel",
    "krzysztof christoph christophe kristof christiaan",
    "stefan stephan steven stephanus",
    "ion ioan ivan jovan",
    "andrei andrzej andrew andries andre andriy",
    "mihai mikhail michail",
    "serhiy sergei sergey serge",
    "oleksiy aleksei alexey",
    "volodymyr vladimir",
    "vasile vasyl vasili",
    "katarzyna katharina catherine",
    "malgorzata margaret",
    "giorgi georgi george georg joris jurgen gheorghe",
    "zofia sofia sophie",
    "ewa eva",
    "agnieszka agnes aga",
    "wojciech wojtek",
    "grzegorz grzesiek",
    "tomasz tomek",
    "krzysztof krzysiek",
    "bartlomiej bartek",
    "jakub kuba",
    "katarzyna kasia",
    "malgorzata gosia malgosia",
    "joanna asia",
    "elena helena",
    "dmitri dmitry dmytro dimitri",
)


def _build_nicknames() -> dict[str, frozenset[int]]:
    groups: dict[str, set[int]] = {}
    for number, group in enumerate(_NICKNAME_GROUPS):
        for name in group.split():
            groups.setdefault(name, set()).add(number)
    return {name: frozenset(numbers) for name, numbers in groups.items()}


NICKNAMES: dict[str, frozenset[int]] = _build_nicknames()

#: A normalised person name: (given tokens, surname components); a component is
#: (particles, core tokens). "Bakker-de Vries" -> ((), ((("",), ...))).
Component = tuple[tuple[str, ...], tuple[str, ...]]
PersonName = tuple[tuple[str, ...], tuple[Component, ...]]


def _initial(char: str) -> str:
    folded = fold(char)
    return folded[0] if folded else ""


def _replace_partner_markers(text: str) -> str:
    """Replace partner markers by "-" (a component break): "Bakker e/v de Vries" -> "Bakker - de Vries".

    Markers are recognised in the folded words, as the rest of the name is compared: "ÈV", "e.v."
    and Cyrillic "ЕВ" are the marker "ev" as much as "EV" is, so a name and its folded form parse
    alike. Where a marker is glued to other text ("Bakker:ev"), the folded words are used.
    """
    if not _PARTNER_HINT.search(fold(text)):
        return text
    words = text.split()
    flat = [(token, index) for index, word in enumerate(words) for token in fold(word).split()]
    spans: list[tuple[int, int]] = []
    k = 0
    while k < len(flat):
        for marker in _PARTNER_MARKERS:
            if tuple(t for t, _i in flat[k : k + len(marker)]) == marker:
                spans.append((k, k + len(marker)))
                k += len(marker)
                break
        else:
            k += 1
    if not spans:
        return text
    in_marker = {j for a, b in spans for j in range(a, b)}
    marker_words = {flat[j][1] for j in in_marker}
    if all(j in in_marker for j, (_t, index) in enumerate(flat) if index in marker_words):
        # Every marker is whole words: keep the other words as typed (case and dots tell initials).
        return " ".join("-" if index in marker_words else word for index, word in enumerate(words))
    starts = dict(spans)
    out: list[str] = []
    j = 0
    while j < len(flat):
        if j in starts:
            out.append("-")
            j = starts[j]
        else:
            out.append(flat[j][0])
            j += 1
    return " ".join(out)


def _split_initials(word: str) -> list[str]:
    """'J.P.' -> ['j', 'p']; 'JP' (capitals, no vowel) -> ['j', 'p']; 'Ю.' -> ['y']; else words.

    An initial is the first letter of the folded letter, in any script: "Ю." (Yu) is "y",
    the initial of "Юлія" (yuliia).
    """
    stripped = word.replace(".", "")
    segments = [s for s in word.split(".") if s]
    if stripped and "." in word and all(len(s) == 1 for s in segments):
        return [i for i in (_initial(s) for s in segments) if i]
    if word.endswith(".") and segments and all(len(s) <= 4 and s.isalpha() for s in segments):
        # Dutch voorletters may be abbreviated names: "Th.J." (Theodorus Johannes), "Ph.", "Chr.",
        # "Joh.", "Wm.". Each dotted part stands for one name: its initial.
        return [i for i in (_initial(s) for s in segments) if i]
    if "." in word and 1 < len(stripped) <= 3 and stripped.isupper() and stripped.isalpha():
        return [i for i in (_initial(ch) for ch in stripped) if i]  # "A.A." mistyped as ".AA."
    if len(stripped) == 1 and stripped.isalpha():
        return [i for i in (_initial(stripped),) if i]
    if 1 < len(stripped) <= 3 and stripped.isupper() and stripped.isalpha():
        letters = [_initial(ch) for ch in stripped]
        if all(letters) and not set(letters) & _VOWELS:
            return letters
    return list(tokens(word))


def given_tokens(value: Any) -> tuple[str, ...]:
    """Folded given names; initials come out as one-letter tokens ("J.P." -> ("j", "p"))."""
    text = clean(value)
    if not text:
        return ()
    out: list[str] = []
    for word in re.split(r"[\s,]+", text):
        if word:
            out.extend(_split_initials(word))
    return tuple(t for t in out if t)[:MAX_TOKENS]


def components(words: list[str]) -> list[Component]:
    """Public name of :func:`_component`: folded surname words -> components."""
    return _component(words)


def _component(words: list[str]) -> list[Component]:
    """Split folded surname words into components: particles before a core, the core after.

    A run of particles after a core starts a new component ("Pieters van der Maes" is two
    surnames), except at the very end where it is an inverted prefix ("Vries de").
    """
    comps: list[Component] = []
    particles: list[str] = []
    core: list[str] = []
    for i, word in enumerate(words):
        is_particle = word in PARTICLES and not (
            word in _WEAK_PARTICLES and i == len(words) - 1 and not core
        )
        if is_particle:
            if core:
                # Trailing particles only ("Vries de"): keep them with this component.
                if all(w in PARTICLES for w in words[i:]):
                    particles.extend(words[i:])
                    break
                comps.append((tuple(particles), tuple(core)))
                particles, core = [], []
            particles.append(word)
        else:
            core.append(word)
    if core:
        comps.append((tuple(particles), tuple(core)))
    elif particles:
        # Only particles ("De" as a surname): the last one is the name itself.
        comps.append((tuple(particles[:-1]), (particles[-1],)))
    return comps


#: Forms of address, titles and generational suffixes written around Dutch names ("Dhr. J. de
#: Vries", "Drs. ing. P. Jansen", "Jansen jr."). They are not part of the name. The first set is
#: dropped however it is written; the second only with its dot, as "Ing", "Dr" or "Ms" may be names.
_TITLES = frozenset(_words("dhr mevr mevrouw mw mej heer drs prof jhr jkvr msc bsc mba phd"))
_DOTTED_TITLES = frozenset(_words("ing ir dr mr mrs ms hr fam bc jr sr"))
_TITLE_WORD = re.compile(r"(?<![\w.])([^\W\d_]{2,7})(\.?)(?=[\s,]|$)")


def _title_dropped(found: re.Match[str]) -> str:
    word = found.group(1).lower()
    return " " if word in _TITLES or (found.group(2) and word in _DOTTED_TITLES) else found.group(0)


def _drop_titles(given: str, surname: str) -> tuple[str, str]:
    """The two fields without forms of address and titles, unless nothing else is left."""
    given_rest = _TITLE_WORD.sub(_title_dropped, given) if given else given
    surname_rest = _TITLE_WORD.sub(_title_dropped, surname) if surname else surname
    if given_rest.strip(" ,") or surname_rest.strip(" ,"):
        return given_rest, surname_rest
    return given, surname


@lru_cache(maxsize=1 << 17)
def _person_name_cached(given: str, prefix: str, surname: str) -> PersonName:
    given, surname = _drop_titles(given, surname)
    if not tokens(surname) and not tokens(prefix):
        words = tokens(given)
        if len(words) > 1 and any(len(word) > 1 for word in words):
            # The whole name typed into the given-names field ("J.P. de Vries", "Vries, Jan de"):
            # read as the surname field reads a whole name. Initials alone ("J.P.") stay given names.
            given, surname = "", given
    given_list = list(given_tokens(given))
    prefix_words = list(tokens(prefix))
    text = surname
    if "," in text:
        # "Vries, J. de" / "Bourgondië, van": surname first, then given names and particles.
        head, _, tail = text.partition(",")
        tail_words = tail.replace(",", " ").split()
        extra_given: list[str] = []
        for number, word in enumerate(tail_words):
            folded_word = fold(word)
            if number == 0 and folded_word in _WEAK_PARTICLES and len(tail_words) > 1:
                # "Jellekema, Ben van der": "Ben" is a given name here, not the Arabic particle.
                extra_given.append(folded_word)
            elif folded_word and all(t in PARTICLES for t in folded_word.split()):
                prefix_words.extend(folded_word.split())
            else:
                extra_given.extend(_split_initials(word))
        if extra_given and not given_list:
            given_list = extra_given
        text = head
    text = _replace_partner_markers(text)
    parts: list[str] = []
    for part in _SURNAME_SPLIT.split(text):
        if not part.strip():
            continue
        if parts and all(t in PARTICLES for t in tokens(parts[-1])):
            # "el-Amrani", "ben-Ali", "d'-Hondt": a particle joined by a hyphen is a prefix.
            parts[-1] += " " + part
        else:
            parts.append(part)
    comps: list[Component] = []
    for number, part in enumerate(parts[:MAX_TOKENS]):
        raw_words = part.split()
        words: list[str] = []
        if number == 0 and not given_list and len(raw_words) > 1:
            # "J.P. de Vries" typed into the surname field: leading initials are given names.
            while len(raw_words) > 1:
                initials = _split_initials(raw_words[0])
                if initials and all(len(t) == 1 for t in initials) and raw_words[0].replace(
                    ".", ""
                ).isalpha() and ("." in raw_words[0] or raw_words[0].isupper()):
                    given_list.extend(initials)
                    raw_words.pop(0)
                else:
                    break
        for word in raw_words:
            words.extend(tokens(word))
        if number == 0:
            words = prefix_words + words
        parsed = _component(words)
        if number == 0 and not given_list and not prefix_words and len(parsed) > 1 and not parsed[0][0]:
            # "Giel van Wickerode" typed into the surname field: the words before the first
            # particle are given names.
            given_list.extend(parsed[0][1])
            parsed = parsed[1:]
        comps.extend(parsed)
    if not comps and prefix_words:
        comps.extend(_component(prefix_words))
    return tuple(given_list[:MAX_TOKENS]), tuple(comps[:MAX_TOKENS])


def person_name(given: Any, prefix: Any, surname: Any) -> PersonName:
    """Parse a person's name from untrusted fields into (given tokens, surname components).

    ``Person(surname_prefix="de", surname="Vries")``, ``surname="de Vries"``,
    ``surname="Vries, de"`` and ``surname="Vries de"`` all give ``((), ((("de",), ("vries",)),))``.
    Hyphens and partner markers (e/v, wed.) separate double surnames into components.
    """
    return _person_name_cached(clean(given), clean(prefix), clean(surname))


def surname_core(name: PersonName) -> tuple[str, ...]:
    """All core surname tokens of a parsed name, particles left out."""
    return tuple(t for _particles, core in name[1] for t in core)


# --------------------------------------------------------------------------------------------
# Organisation names
# --------------------------------------------------------------------------------------------

#: Legal forms: folded token sequences -> class. Recognised at the start or end of a name and in
#: the ``legal_form`` field; removed from the name tokens.
_LEGAL_FORMS: dict[str, tuple[str, ...]] = {
    "bv": ("bv", "besloten vennootschap met beperkte aansprakelijkheid", "besloten vennootschap",
           "bvba", "sprl"),
    "nv": ("nv", "naamloze vennootschap", "spolka akcyjna"),
    # Polish spółka jawna (Sp.j.) and German OHG / GbR are partnerships like the V.O.F.
    "vof": ("vof", "vennootschap onder firma", "sp j", "spolka jawna", "ohg", "gbr"),
    "cv": ("cv", "commanditaire vennootschap", "sp k", "spolka komandytowa", "commv"),
    "stichting": ("stichting", "stg", "sticht"),
    "vereniging": ("vereniging", "vereniging met volledige rechtsbevoegdheid", "ver", "vzw"),
    "cooperatie": ("cooperatie", "cooperatieve vereniging", "ua", "wa", "ba"),
    "maatschap": ("maatschap",),
    "eenmanszaak": ("eenmanszaak", "ez"),
    "gmbh": ("gmbh", "gesellschaft mit beschrankter haftung", "ug", "kg", "ag", "gmbh en co kg",
             "en co kg", "ug haftungsbeschrankt"),
    "ltd": ("ltd", "limited", "plc", "llc", "inc", "incorporated", "corp", "corporation", "pty ltd",
            "pty"),
    # "Sp. z o.o." and "Spółka z o.o.": the dotted letters z o o collapse to "zoo".
    "spzoo": ("sp z oo", "spzoo", "sp zoo", "spolka z oo", "spolka zoo", "spolka z ograniczona odpowiedzialnoscia"),
    "srl": ("srl", "sa", "sarl", "sas", "sro", "ooo", "eood", "ood", "ad", "et", "tov", "pp",
            "societe a responsabilite limitee", "societate cu raspundere limitata",
            "societa a responsabilita limitata", "sociedad de responsabilidad limitada",
            # Where labour agencies come from: Croatian/Slovenian/Serbian d.o.o., Hungarian Kft./Zrt.,
            # Spanish S.L., Portuguese Lda, Danish ApS, Finnish Oy, Turkish Ltd. Şti. (Limited Şirketi).
            "doo", "kft", "zrt", "sl", "lda", "aps", "oy", "sti", "ltd sti", "limited sirketi"),
}
#: Forms recognised only at the end of a name, where they stand: at the start these letters are
#: more likely a brand or initials ("SL Bouw", "Oy Vey Deli", "Doo Wop Bar").
_END_ONLY_FORMS = frozenset(tuple(form.split()) for form in (
    "sp j", "sp k", "ohg", "gbr", "commv", "vzw", "doo", "kft", "zrt", "sl", "lda", "aps", "oy", "sti",
    "ltd sti"))
_LEGAL_SEQS: list[tuple[tuple[str, ...], str]] = sorted(
    ((tuple(form.split()), cls) for cls, forms in _LEGAL_FORMS.items() for form in forms),
    key=lambda item: -len(item[0]),
)

#: Words that say little about which company it is; they are never a blocking key and weigh at
#: most :data:`GENERIC_WEIGHT` in the name comparison.
GENERIC_ORG_WORDS = frozenset(
    _words("holding holdings groep group beheer management nederland netherlands nl international "
    "internationaal services service diensten en and the of de het van der den bedrijf bedrijven "
    "onderneming handelsonderneming investments invest consultancy trading handel vastgoed "
    "projecten participaties exploitatie zn zonen co company companies enterprises b v bouw "
    "europe europa benelux gebroeders firma maatschappij hodn tic ticaret")
)

OrgName = tuple[tuple[str, ...], str]


#: Legal forms written letter by letter, longest first.
_LETTER_FORMS = ("vof", "bv", "nv")


def _collapse_letters(words: list[str]) -> list[str]:
    """Join runs of one-letter tokens: 'b v' -> 'bv', 'v o f' -> 'vof' (from 'B.V.', 'V.O.F.').

    A run that ends the name and ends in a legal form keeps the letters before it apart:
    'Garage H.J. B.V.' is 'hj' + 'bv', not one word 'hjbv'.
    """
    out: list[str] = []
    run: list[str] = []
    for word in [*words, ""]:
        if len(word) == 1 and not word.isdigit():
            run.append(word)
            continue
        if run:
            joined = "".join(run)
            form = "" if word else next((f for f in _LETTER_FORMS if len(joined) > len(f) and joined.endswith(f)), "")
            out.extend([joined[: -len(form)], form] if form else [joined])
            run = []
        if word:
            out.append(word)
    return out


#: Legal-form words that are never part of a trade name: removed wherever they stand
#: ("Huisvesting B.V. Horizon").
_LEGAL_ANYWHERE = {"bv": "bv", "nv": "nv", "vof": "vof", "gmbh": "gmbh", "ltd": "ltd", "bvba": "bv",
                   "spzoo": "spzoo", "eood": "srl", "sarl": "srl", "llc": "ltd",
                   "eenmanszaak": "eenmanszaak"}


#: One-word legal forms long enough that one typo still names them ("Eenmanszak", "Stichtng").
_LONG_FORMS = {seq[0]: cls for seq, cls in _LEGAL_SEQS if len(seq) == 1 and len(seq[0]) >= 8}


def _misspelt_form(word: str) -> str:
    """The legal-form class of a word one edit from a long one-word legal form, else ''."""
    if len(word) < 7 or word in _LONG_FORMS:
        return _LONG_FORMS.get(word, "")
    for form, cls in _LONG_FORMS.items():
        # A letter dropped, changed or swapped; not one added ("Stichtinga" is a Frisian surname).
        if len(form) - 1 <= len(word) <= len(form) and OSA.distance(form, word, score_cutoff=1) <= 1:
            return cls
    return ""


_LEGAL_MULTI = [(seq, cls) for seq, cls in _LEGAL_SEQS if len(seq) > 1]
_LEGAL_FIRST = frozenset(seq[0] for seq, _cls in _LEGAL_SEQS)
_LEGAL_LAST = frozenset(seq[-1] for seq, _cls in _LEGAL_SEQS)
_MULTI_FIRST = frozenset(seq[0] for seq, _cls in _LEGAL_MULTI)


def _strip_legal(words: list[str]) -> tuple[list[str], str]:
    legal = ""
    # Multi-word forms ("sp z oo", "besloten vennootschap") are unambiguous anywhere.
    if _MULTI_FIRST.intersection(words[1:-1]):
        for seq, cls in _LEGAL_MULTI:
            n = len(seq)
            for start in range(1, len(words) - n):
                if tuple(words[start : start + n]) == seq:
                    words, legal = words[:start] + words[start + n :], legal or cls
                    break
    if len(words) > 1:
        kept = [w for w in words if w not in _LEGAL_ANYWHERE]
        if kept and len(kept) < len(words):
            legal = next(_LEGAL_ANYWHERE[w] for w in words if w in _LEGAL_ANYWHERE)
            words = kept
    if len(words) > 1:
        # A typo in a long legal form at either end: "Schoonmaak Noord Eenmanszak".
        for index in (-1, 0):
            cls = _misspelt_form(words[index])
            if cls:
                legal = legal or cls
                words = words[:-1] if index == -1 else words[1:]
                break
    changed = True
    while changed and len(words) > 1 and (words[-1] in _LEGAL_LAST or words[0] in _LEGAL_FIRST):
        changed = False
        for seq, cls in _LEGAL_SEQS:
            n = len(seq)
            if len(words) > n and tuple(words[-n:]) == seq:
                words, legal, changed = words[:-n], legal or cls, True
                break
            if len(words) > n and tuple(words[:n]) == seq and seq not in _END_ONLY_FORMS:
                words, legal, changed = words[n:], legal or cls, True
                break
    return words, legal


def legal_form_class(value: Any) -> str:
    """The legal-form class of a free-text legal form ('B.V.' -> 'bv'), or its folded text."""
    words = _collapse_letters(list(tokens(value)))
    if not words:
        return ""
    for seq, cls in _LEGAL_SEQS:
        if tuple(words) == seq:
            return cls
    _rest, cls = _strip_legal([*words, "x"])
    return cls or "".join(words)[:30]


#: "C.V." written with its dots is the legal form wherever it stands ("Aschman C.V. Loodgieters");
#: a bare "CV" may be the trade itself (cv-ketels), so only its dotted spelling counts here.
_DOTTED_CV = re.compile(r"(?<!\S)c\.\s?v\.(?!\S)", re.IGNORECASE)


#: English spellings of a Dutch trade word, as company names mix them ("Wellness Center" /
#: "Wellnesscentrum"): one spelling, so that split and joined forms compare as the same letters;
#: and the abbreviations of the Handelsregister ("Gebr.", "Fa.", "Mij.", "Int.", "Ned.").
_ORG_SPELLINGS = {"center": "centrum", "centre": "centrum", "gebr": "gebroeders", "fa": "firma",
                  "mij": "maatschappij", "int": "international", "intl": "international", "ned": "nederland",
                  "zn": "zonen", "expl": "exploitatie", "hdl": "handel", "mgmt": "management",
                  # A number is written either way ("De Drie Podden", "3 Podden"); "een" is also
                  # the article, so one stays a word.
                  "twee": "2", "drie": "3", "vier": "4", "vijf": "5", "zes": "6", "zeven": "7",
                  "acht": "8", "negen": "9", "tien": "10", "elf": "11", "twaalf": "12"}

#: "B.V. i.o." / "in oprichting": a company being founded is the same company.
_IN_FOUNDATION = re.compile(r"(?i)(?<!\S)(?:i\.\s?o\.|in\s+oprichting)(?!\S)")

#: "Jansen Beheer B.V. h.o.d.n. Club Venus": a statutory name and the trade name it trades under
#: (Handelsregisterbesluit art. 9: a company registers its trade names). Also "t.h.o.d.n." (tevens),
#: "handelend onder de naam", "h/o/d/n".
_TRADING_AS = re.compile(
    r"(?i)(?<![^\W_])(?:t(?:evens)?\.?\s*)?(?:h\.\s?o\.\s?d\.\s?n\.?|hodn|thodn|h/o/d/n|handelende?\s+onder\s+(?:de\s+)?naam(?:\s+van)?)(?![^\W_])")
#: The word that separates a statutory name from its trade names in a parsed name.
TRADING_AS = "hodn"

#: A brand that mixes letters and digits is written both ways: "Flex4You", "Flex 4 You".
_DIGITS_OR_NOT = re.compile(r"\d+|\D+")


def split_trade_names(name: Any) -> list[str]:
    """The names a written company name holds, as written: "Lubbers Beheer B.V. h.o.d.n. Club
    Venus" -> ["Lubbers Beheer B.V.", "Club Venus"]; a name without a trading-as marker is one."""
    text = clean(name)
    return [part.strip(" ,;/") for part in _TRADING_AS.split(text) if part.strip(" ,;/")]


@lru_cache(maxsize=1 << 16)
def _org_name_cached(name: str, legal_form: str) -> OrgName:
    if _TRADING_AS.search(name):
        # Parse the statutory name and each trade name alone (each may carry a legal form), and
        # keep them apart by a marker word: the scorer compares each part on its own too.
        parts = [part for part in _TRADING_AS.split(name) if part.strip(" ,;/")]
        parsed = [_org_name_cached(part.strip(" ,;/"), "") for part in parts[:4]]
        words: list[str] = []
        for part_words, _legal in parsed:
            if part_words:
                words += [TRADING_AS, *part_words] if words else list(part_words)
        legal = next((cls for _w, cls in parsed if cls), "")
        return tuple(words[:MAX_TOKENS]), legal_form_class(legal_form) or legal
    name = _IN_FOUNDATION.sub(" ", name)
    if "." in name:
        name = _DOTTED_CV.sub(" commanditaire vennootschap ", name)
    words = list(tokens(name.replace("&", " en ").replace("+", " en ")))
    if any(ch.isdigit() for word in words for ch in word):
        words = [part for word in words for part in _DIGITS_OR_NOT.findall(word)]
    words = [_ORG_SPELLINGS.get(word, word) for word in _collapse_letters(words)]
    words, legal = _strip_legal(words)
    declared = legal_form_class(legal_form)
    return tuple(words[:MAX_TOKENS]), declared or legal


def org_name(name: Any, legal_form: Any = "") -> OrgName:
    """Parse an organisation name into (folded tokens without legal form, legal-form class)."""
    return _org_name_cached(clean(name), clean(legal_form))


# --------------------------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------------------------

_DATE_PATTERNS = (
    re.compile(r"^(?P<y>\d{4})[-/. ](?P<m>\d{1,2})[-/. ](?P<d>\d{1,2})"),
    re.compile(r"^(?P<d>\d{1,2})[-/. ](?P<m>\d{1,2})[-/. ](?P<y>\d{4})"),
    re.compile(r"^(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})$"),
    re.compile(r"^(?P<y>\d{4})$"),
)


def _valid(year: int, month: int, day: int) -> int:
    if not 1850 <= year <= 2150:
        return 0
    if month == 0 or day == 0 or not 1 <= month <= 12:
        return year * 10000  # year only (BRP writes unknown parts as 00)
    try:
        _dt.date(year, month, day)
    except ValueError:
        return year * 10000
    return year * 10000 + month * 100 + day


#: Month names and abbreviations in Dutch, English and German, as folded words.
_MONTHS = {name: number for number, names in enumerate((
    "januari january jan januar", "februari february feb febr februar", "maart march mrt mar marz maerz",
    "april apr", "mei may mai", "juni june jun", "juli july jul", "augustus august aug",
    "september sep sept", "oktober october okt oct", "november nov", "december dec dezember dez"), 1)
    for name in names.split()}
_DATE_MONTH_NAMED = (
    re.compile(r"^(?P<d>\d{1,2})[\s./-]*(?P<m>[a-z]+)\.?[\s./,-]*(?P<y>\d{4})$"),  # 12 maart 1985, 12-mrt-1985
    re.compile(r"^(?P<m>[a-z]+)\.?\s*(?P<d>\d{1,2}),?\s*(?P<y>\d{4})$"),          # March 12, 1985
)
#: dd-mm-yy as Dutch forms write it ("12-03-85"), and ddmmyyyy without separators.
_DATE_SHORT_YEAR = re.compile(r"^(?P<d>\d{1,2})[-/. ](?P<m>\d{1,2})[-/. ](?P<y>\d{2})$")
_DATE_DIGITS_DMY = re.compile(r"^(?P<d>\d{2})(?P<m>\d{2})(?P<y>\d{4})$")


def parse_date(value: Any, today: _dt.date | None = None) -> int:
    """A birth date as ``yyyymmdd`` (``yyyy0000`` when only the year is known), or 0.

    Reads dates as people type them: ``1985-03-12``, ``12-03-1985``, ``12/3/1985``, ``19850312``,
    ``12031985``, ``12 maart 1985``, ``12-mrt-1985``, ``March 12, 1985``, ``00-00-1985``, and
    ``12-03-85`` (a two-digit year is the latest such year that is not in the future)."""
    if value is None or isinstance(value, bool):
        return 0
    if isinstance(value, _dt.date):
        return _valid(value.year, value.month, value.day)
    if isinstance(value, int):
        return _valid(value, 0, 0) if 1000 <= value <= 9999 else 0
    text = clean(value, 40).strip()
    for pattern in _DATE_PATTERNS:
        found = pattern.match(text)
        if found:
            parts = found.groupdict()
            if result := _valid(int(parts["y"]), int(parts.get("m") or 0), int(parts.get("d") or 0)):
                return result
    if found := _DATE_DIGITS_DMY.match(text):
        return _valid(int(found["y"]), int(found["m"]), int(found["d"]))
    if found := _DATE_SHORT_YEAR.match(text):
        this_year = (today or _dt.date.today()).year
        year = this_year // 100 * 100 + int(found["y"])
        return _valid(year if year <= this_year else year - 100, int(found["m"]), int(found["d"]))
    folded = fold(text)
    for pattern in _DATE_MONTH_NAMED:
        if (found := pattern.match(folded)) and found["m"] in _MONTHS:
            return _valid(int(found["y"]), _MONTHS[found["m"]], int(found["d"]))
    return 0


def format_date(value: int) -> str:
    """``19850312`` -> ``12-03-1985``; a year-only date -> ``1985``."""
    if not value:
        return ""
    year, month, day = value // 10000, value // 100 % 100, value % 100
    if not month:
        return str(year)
    return f"{day:02d}-{month:02d}-{year}"


# --------------------------------------------------------------------------------------------
# Identifiers and countries
# --------------------------------------------------------------------------------------------

_ID_ALIASES = {
    "bsn": "bsn", "burgerservicenummer": "bsn", "sofinummer": "bsn", "sofi": "bsn",
    "kvk": "kvk", "kvknummer": "kvk", "kvk_nummer": "kvk", "kvknumber": "kvk", "kvk_number": "kvk",
    "handelsregister": "kvk", "coc": "kvk",
    "rsin": "rsin", "vestigingsnummer": "vestiging", "vestiging": "vestiging",
    "btw": "btw", "vat": "btw", "btwnummer": "btw", "btw_id": "btw", "vat_number": "btw",
    "paspoort": "document", "passport": "document", "id": "document", "idkaart": "document",
    "identiteitsbewijs": "document", "rijbewijs": "document", "document": "document",
    "iban": "iban", "rekeningnummer": "iban", "bankrekening": "iban", "rekening": "iban",
    "kamervankoophandel": "kvk", "identiteitskaart": "document", "idcard": "document",
    "identitycard": "document", "verblijfsdocument": "document", "verblijfsvergunning": "document",
    "reisdocument": "document",
}
#: "BSN-nummer", "paspoortnr.", "passport number", "KvK no": the type with its "number" said.
_ID_NUMBER_WORD = re.compile(r"(?:nummer|number|nr|no)$")
_ID_DIGITS = {"bsn": 9, "kvk": 8, "rsin": 9, "vestiging": 12}
_ALNUM_UPPER = re.compile(r"[^A-Z0-9]+")


_LABELLED_NUMBER = re.compile(r"[A-Z]{2,20}(\d{5,})")


def identifier(kind: Any, value: Any) -> tuple[str, str] | None:
    """Normalise one identifier to (type, value); ``None`` if it is too short to mean anything.

    Types are canonicalised (``"BSN"``, ``"burgerservicenummer"`` -> ``bsn``); numeric types
    are zero-padded to their legal length so "1234567" and "01234567" are one KvK number.
    """
    key_text = fold(kind).replace(" ", "_")
    compact = re.sub(r"[^a-z0-9]", "", key_text)
    key = (_ID_ALIASES.get(key_text) or _ID_ALIASES.get(compact)
           or _ID_ALIASES.get(_ID_NUMBER_WORD.sub("", compact)) or key_text[:20])
    text = _ALNUM_UPPER.sub("", anyascii(clean(value, 64)).upper())
    if not key or len(text) < 5 or len(text) > 40:
        return None
    width = _ID_DIGITS.get(key)
    if width and not text.isdigit():
        # A numeric identifier with its label typed in front: "KvK 12345678", "BSN: 123456782".
        labelled = _LABELLED_NUMBER.fullmatch(text)
        if labelled:
            text = labelled.group(1)
    if width and text.isdigit():
        if len(text) > width:
            return None
        text = text.zfill(width)
        if set(text) == {"0"}:
            return None
    return key, text


def identifiers(mapping: Any, **extra: Any) -> tuple[tuple[str, str], ...]:
    """All usable identifiers of a record, sorted and de-duplicated."""
    found: set[tuple[str, str]] = set()
    items: list[tuple[Any, Any]] = []
    if isinstance(mapping, Mapping):
        try:
            items.extend(list(mapping.items())[:20])
        except Exception:  # a broken mapping is just no identifiers
            items = []
    items.extend(extra.items())
    for kind, value in items:
        normalised = identifier(kind, value)
        if normalised:
            found.add(normalised)
    return tuple(sorted(found))


_COUNTRIES = {
    "NL": "nl nld nederland netherlands the netherlands holland nederlandse dutch",
    "BE": "be bel belgie belgium belgique belgische",
    "DE": "de deu duitsland germany deutschland duitse",
    "PL": "pl pol polen poland polska poolse",
    "RO": "ro rou roemenie romania roemeense",
    "BG": "bg bgr bulgarije bulgaria bulgaarse",
    "UA": "ua ukr oekraine ukraine oekraiense",
    "RU": "ru rus rusland russia russische",
    "MA": "ma mar marokko morocco marokkaanse",
    "TR": "tr tur turkije turkey turkiye turkse",
    "AU": "au aus australie australia",
    "GB": "gb gbr uk verenigd koninkrijk united kingdom great britain engeland britse",
    "FR": "fr fra frankrijk france franse",
    "ES": "es esp spanje spain spaanse",
    "IT": "it ita italie italy italiaanse",
    "LT": "lt ltu litouwen lithuania",
    "LV": "lv lva letland latvia",
    "HU": "hu hun hongarije hungary",
    "SK": "sk svk slowakije slovakia",
    "CZ": "cz cze tsjechie czechia czech republic",
    "SY": "sy syr syrie syria syrische",
    "SR": "sr sur suriname surinaamse",
    "CN": "cn chn china chinese",
    "NG": "ng nga nigeria nigeriaanse",
}
_COUNTRY_NAMES = {alias: code for code, names in _COUNTRIES.items() for alias in names.split()}
for _code, _names in _COUNTRIES.items():
    # Multi-word names ("verenigd koninkrijk", "the netherlands") as whole phrases too.
    _words = _names.split()
    for _n in range(2, 4):
        for _i in range(len(_words) - _n + 1):
            _COUNTRY_NAMES.setdefault(" ".join(_words[_i : _i + _n]), _code)


def country(value: Any) -> str:
    """ISO-3166 alpha-2 for common spellings in Dutch and English; else the folded text."""
    folded = fold(value)
    if not folded:
        return ""
    return _COUNTRY_NAMES.get(folded, folded.upper()[:30])


# --------------------------------------------------------------------------------------------
# Addresses
# --------------------------------------------------------------------------------------------

_NOT_UPPER_ALNUM = re.compile(r"[^A-Z0-9]")
_NL_POSTCODE = re.compile(r"^[1-9][0-9]{3}[A-Z]{2}$")
_HOUSE = re.compile(r"(\d{1,6})\s*(.*)$")
_STREET_NUMBER = re.compile(r"^(.*?\D)\s+(\d{1,6}.{0,8})$")
#: "Kerkstraat 12a, 7811 AB Emmen" typed into the street field alone.
_ONE_LINE_ADDRESS = re.compile(
    r"^(?P<street>.*?\D)\s*,?\s+(?P<number>\d{1,6}(?:\s?[-/]?\s?[A-Za-z0-9]{1,4})?)\s*,?\s+"
    r"(?P<postcode>[1-9]\d{3}\s?[A-Za-z]{2})\b[\s,]*(?P<city>.*)$")
#: "9401 AB 12" typed into the postcode field: a Dutch postcode and the house number.
_POSTCODE_NUMBER = re.compile(r"^(\d{4}\s?[A-Za-z]{2})[\s,]+(\d{1,6}.{0,8})$")
_SUFFIX_ALIASES = {"HS": "H", "HUIS": "H", "I": "1", "II": "2", "III": "3", "IV": "4", "BG": "0",
                   "BEG": "0", "BEGANEGROND": "0", "HOOG": "1", "BOVEN": "1"}
_STREET_SUFFIXES = (
    ("str", "straat"), ("ln", "laan"), ("wg", "weg"), ("pln", "plein"), ("pl", "plein"),
    ("gr", "gracht"), ("grt", "gracht"), ("kd", "kade"), ("sngl", "singel"), ("dk", "dijk"),
    ("pk", "park"), ("dr", "dreef"), ("bd", "boulevard"), ("blvd", "boulevard"), ("stg", "steeg"),
)
_STREET_SHORT = dict(_STREET_SUFFIXES)
_STREET_FULL = frozenset(_STREET_SHORT.values())
_STREET_WORDS = {"burg": "burgemeester", "mr": "meester", "st": "sint", "pr": "prins",
                 "kon": "koningin", "v": "van", "vd": "van der", "ds": "dominee", "prof": "professor",
                 "dr": "dokter", "doctor": "dokter", "gen": "generaal", "weth": "wethouder",
                 "past": "pastoor", "jhr": "jonkheer", "ir": "ingenieur", "mgr": "monseigneur",
                 # Ordinal streets: "1e Hugo de Grootstraat" is "Eerste Hugo de Grootstraat".
                 "eerste": "1e", "tweede": "2e", "derde": "3e", "vierde": "4e", "vijfde": "5e"}
_CITY_ALIASES = {"s gravenhage": "den haag", "the hague": "den haag", "s hertogenbosch": "den bosch",
                 "hertogenbosch": "den bosch"}

#: A normalised address: (postcode, house number, suffix, street, city, country).
NormAddress = tuple[str, str, str, str, str, str]
EMPTY_ADDRESS: NormAddress = ("", "", "", "", "", "")


def street(value: Any) -> str:
    """Folded street with common abbreviations written out ('Kerkstr.' -> 'kerkstraat')."""
    return _street_cached(clean(value))


@lru_cache(maxsize=1 << 16)
def _street_cached(value: str) -> str:
    out: list[str] = []
    words = tokens(value)
    for number, word in enumerate(words):
        if word in _STREET_WORDS and number < len(words) - 1:
            out.extend(_STREET_WORDS[word].split())
            continue
        full = _STREET_SHORT.get(word) or (word if word in _STREET_FULL else "")
        if full and out:
            # "Kerk str." / "Kerk straat" -> "kerkstraat"
            out[-1] += full
            continue
        for short, long in _STREET_SUFFIXES:
            if word.endswith(short) and len(word) > len(short) + 2:
                word = word[: -len(short)] + long
                break
        out.append(word)
    return " ".join(out)


def house_number(number: Any, suffix: Any = "") -> tuple[str, str]:
    """('12', 'A') from '12a', '12-A', '12 A', ('12', 'a'); roman floors and 'hs' normalised."""
    return _house_number_cached(clean(number, 30), clean(suffix, 30))


@lru_cache(maxsize=1 << 14)
def _house_number_cached(number: str, suffix: str) -> tuple[str, str]:
    text = (number + " " + suffix).strip()
    found = _HOUSE.search(text)
    if not found:
        return "", ""
    digits = found.group(1).lstrip("0") or "0"
    rest = re.sub(r"[^A-Z0-9]", "", anyascii(found.group(2)).upper())[:8]
    return digits, _SUFFIX_ALIASES.get(rest, rest)


def postcode(value: Any) -> str:
    """'1234 ab' -> '1234AB'; foreign postcodes keep their letters and digits, upper case."""
    raw = clean(value, 40)
    if not raw.isascii():
        raw = anyascii(raw)
    return _NOT_UPPER_ALNUM.sub("", raw.upper())[:12]


def address(value: Any) -> NormAddress:
    """Normalise an :class:`Address` (or any object/mapping with its attributes)."""
    if value is None:
        return EMPTY_ADDRESS

    is_mapping = isinstance(value, Mapping)

    def get(name: str) -> Any:
        if is_mapping:
            return value.get(name, "")
        return getattr(value, name, "")

    try:
        raw_city = ""
        raw_street, raw_number = clean(get("street")), get("house_number")
        raw_suffix, raw_postcode = get("house_number_suffix"), clean(get("postcode"), 40)
        if not clean(raw_number).strip() and not raw_postcode.strip() and (
                one_line := _ONE_LINE_ADDRESS.match(raw_street.strip())):
            # A whole Dutch address in the street field: "Kerkstraat 12a, 7811 AB Emmen".
            raw_street, raw_number, raw_postcode = one_line["street"], one_line["number"], one_line["postcode"]
            raw_city = one_line["city"]
        if not clean(raw_number).strip():
            # "Kerkstraat 12a" typed into the street field, or "9401 AB 12" into the postcode's.
            found = _STREET_NUMBER.match(raw_street.strip())
            in_postcode = _POSTCODE_NUMBER.match(raw_postcode.strip())
            if found:
                raw_street, raw_number = found.group(1), found.group(2)
            elif in_postcode:
                raw_postcode, raw_number = in_postcode.group(1), in_postcode.group(2)
        number, suffix = house_number(raw_number, raw_suffix)
        country_code = country(get("country")) or "NL"
        city = fold(get("city")) or fold(raw_city)
        result = (postcode(raw_postcode), number, suffix, street(raw_street),
                  _CITY_ALIASES.get(city, city), country_code)
    except Exception:  # an object that only pretends to be an address
        return EMPTY_ADDRESS
    return result if any(result[:5]) else EMPTY_ADDRESS


def is_nl_postcode(code: str) -> bool:
    """True for a well-formed Dutch PC6 ('1234AB')."""
    return bool(_NL_POSTCODE.match(code))
