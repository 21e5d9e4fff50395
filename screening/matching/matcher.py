"""The register index (stage 1, candidate retrieval) and the :class:`Matcher` API.

Records are normalised once at index time and kept in columns (lists of interned tuples and
strings, an ``array`` of birth dates), not as a dict per record. Blocking keys are hashed to
ints; a posting is a plain int for a key with one entity and an ``array('i')`` otherwise.
"""

from __future__ import annotations

import gc
import heapq
import math
import multiprocessing
import os
import sys
import warnings
from array import array
from collections.abc import Callable, Hashable, Iterable, Iterator
from typing import Any

from . import normalise as nm
from . import scoring as sc
from .records import AddressRecord, Feature, Hit, Organisation, Person

#: Bump when a change alters scores, so stored hits can be re-screened.
ENGINE_VERSION = "1.4.2"

#: Hits below this score are not shown to the Bibob coordinator. At 0.70 a hit needs either a
#: full name match that is not common in the register, or a partial name match corroborated by a
#: birth date or address, or an identifier (BSN, KvK) match. A birth-date conflict alone (−0.40)
#: takes an exact name below it; see README.md for the calibration.
REVIEW_THRESHOLD = 0.70

#: Blocks larger than this are not read (a frequent surname alone); more specific keys such as
#: given name + surname, birth date or postcode + house number then find the entity.
MAX_BLOCK = 3000
#: At most this many candidates, ranked by their summed block weights, are scored.
MAX_CANDIDATES = 50
#: Batches smaller than this are matched in-process: forking costs more than it saves.
PARALLEL_MIN_BATCH = 200

_KIND_DEAD = 0
_P, _O, _A = sc.KIND_PERSON, sc.KIND_ORG, sc.KIND_ADDRESS

# Weight of each key type in candidate ranking (multiplied by the block's information).
_W_SURNAME, _W_PHONETIC, _W_GIVEN, _W_INITIAL = 1.0, 0.6, 1.2, 0.8
_W_DOB, _W_ADDRESS, _W_STREET, _W_ID, _W_ORG, _W_ORG_PHON, _W_ORG_FULL, _W_CROSS = (
    1.0, 1.5, 1.0, 3.0, 1.0, 0.6, 2.0, 0.5)


class _Query:
    """A normalised query record (the same fields as an index column row)."""

    __slots__ = ("addr", "dob", "ids", "kind", "name", "nat")

    def __init__(self, kind: int, name: Any, dob: int, nat: str, addr: nm.NormAddress | None,
                 ids: tuple[tuple[str, str], ...]) -> None:
        self.kind, self.name, self.dob, self.nat, self.addr, self.ids = kind, name, dob, nat, addr, ids


def normalise_record(record: Any) -> _Query | None:
    """Normalise any record type; ``None`` for objects that are not records."""
    if isinstance(record, Person):
        name = nm.person_name(record.given_names, record.surname_prefix, record.surname)
        addr = nm.address(record.address)
        return _Query(_P, name, nm.parse_date(record.birth_date), nm.country(record.nationality),
                      addr if addr != nm.EMPTY_ADDRESS else None, nm.identifiers(record.identifiers))
    if isinstance(record, Organisation):
        name = nm.org_name(record.name, record.legal_form)
        addr = nm.address(record.address)
        return _Query(_O, name, 0, "", addr if addr != nm.EMPTY_ADDRESS else None,
                      nm.identifiers(record.identifiers, kvk=record.kvk_number))
    if isinstance(record, AddressRecord):
        addr = nm.address(record.address)
        return _Query(_A, None, 0, "", addr if addr != nm.EMPTY_ADDRESS else None, ())
    return None


_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _one_edit(word: str) -> set[str]:
    """*word* and every word one deletion, transposition, substitution or insertion away (the
    letters of folded names). ~54 per letter: cheaper than an index of all words' neighbours."""
    out = {word}
    for i in range(len(word) + 1):
        head, tail = word[:i], word[i:]
        out.update(head + letter + tail for letter in _LETTERS)
        if tail:
            out.add(head + tail[1:])
            out.update(head + letter + tail[1:] for letter in _LETTERS)
            if len(tail) > 1:
                out.add(head + tail[1] + tail[0] + tail[2:])
    return out


def _hashable_id(value: Any) -> Hashable:
    try:
        hash(value)
    except TypeError:
        return repr(value)
    return value


def _dob_swapped(dob: int) -> int:
    month, day = dob // 100 % 100, dob % 100
    if month and day and day <= 12 and day != month:
        return dob // 10000 * 10000 + day * 100 + month
    return 0


def _address_keys(addr: nm.NormAddress | None) -> list[tuple[str, float]]:
    if not addr or not addr[1]:
        return []
    pc, number, _suffix, street, city, _country = addr
    keys = []
    if len(pc) >= 4:
        keys.append((f"a:{pc}|{number}", _W_ADDRESS))
    if street:
        keys.append((f"t:{street.replace(' ', '')}|{number}", _W_STREET))
    return keys


def _initial_variants(word: str) -> tuple[str, ...]:
    """*word* with the other romanisations of its first letter: h/g, and i/y before a vowel."""
    first, rest = word[:1], word[1:]
    if first in "hg" and rest:
        return ("g" if first == "h" else "h") + rest,
    if first in "iyj" and rest[:1] in ("a", "e", "o", "u"):
        return tuple(v + rest for v in "iy" if v != first)
    return ()


def _person_keys(name: nm.PersonName, query: bool) -> list[tuple[str, float]]:
    given, comps = name
    cores = [w for _p, core in comps for w in core if len(w) > 1][:4]
    full_given = [g for g in given if len(g) > 1][:3]
    keys: list[tuple[str, float]] = []
    surnames = list(cores)
    if query or not cores:
        # Swapped fields (query), or a register entry with given names only.
        surnames += [g for g in full_given if g not in surnames]
    if query:
        # Typists swap the first two letters too ("iNermann", "aSid"): look those up as well.
        surnames += [w[1] + w[0] + w[2:] for w in cores[:2] if len(w) > 3 and w[0] != w[1]]
    for word in surnames:
        keys.append((f"s:{word}", _W_SURNAME))
        ph = nm.phonetic(word)
        if len(ph) >= 2:
            keys.append((f"p:{ph}", _W_PHONETIC))
    if query:
        # The first letter of a romanised Cyrillic name varies where the phonetic key keeps it:
        # Hnatiuk ~ Gnatyuk (Г), Iureva ~ Yureva (Ю).
        keys += [(f"p:{ph}", _W_PHONETIC) for word in cores[:2] for ph in map(nm.phonetic, _initial_variants(word))
                 if len(ph) >= 2]
    for particles, core in comps:
        if particles or len(core) > 1:
            keys.append((f"s:{''.join((*particles, *core))}", _W_SURNAME))
    # Own and partner names: every surname word of a double name may be the registered one.
    pair_cores = cores[: 4 if query else 3]
    pairs: list[tuple[str, str]] = [(g, c) for g in full_given[: 3 if query else 2] for c in pair_cores]
    if query:
        pairs += [(c, g) for c in cores[:2] for g in full_given[:2]]
        pairs += [(alias, c) for g, c in pairs[:4] for alias in _aliases(g)]
    for g, c in pairs:
        keys.append((f"g:{g}|{c}", _W_GIVEN))
    if len(full_given) >= 2:
        # Two names that are also written as one ("Anne Marie" / "Annemarie", "Abdel Kader").
        joined = full_given[0] + full_given[1]
        keys += [(f"g:{joined}|{c}", _W_GIVEN) for c in cores[: 2 if query else 1]]
    # A typo that changes the surname's sound: given name + first and last letter of the surname.
    for g, c in pairs[: 6 if query else 4]:
        if len(c) > 3:
            keys.append((f"h:{g}|{c[0]}{c[-1]}", _W_INITIAL))
    if given:
        initials = {given[0][0]} | ({g[0] for g in full_given[:2]} | {g[1] for g in full_given[:1]}
                                    if query else set())
        for c in cores[:2]:
            for letter in initials:
                keys.append((f"i:{letter}|{c}", _W_INITIAL))
        if query:
            for g in full_given[:2]:
                for c in cores[:1]:
                    keys.append((f"i:{c[0]}|{g}", _W_INITIAL))
    return keys


def _aliases(word: str) -> list[str]:
    groups = nm.NICKNAMES.get(word)
    if not groups:
        return []
    out = []
    for number in groups:
        out.extend(w for w in nm._NICKNAME_GROUPS[number].split() if w != word)
    return out


def _org_content(words: tuple[str, ...]) -> list[str]:
    return [w for w in words if len(w) > 1 and w not in nm.GENERIC_ORG_WORDS and w not in nm.PARTICLES]


def _org_typo_key(word: str) -> str:
    """A typo inside a long word ("Benldrissi" ~ "Benidrissi") keeps its first and last three
    letters: the only way to find a name whose one distinctive word is misspelt."""
    return f"ot:{word[:3]}{word[-3:]}" if len(word) >= 7 else ""


def _known_halves(word: str, post: Any) -> tuple[str, ...]:
    """Two register words that *word* writes as one ("topuitzendbureau": "top", "uitzendbureau"),
    split where both halves are words of the register's company names; the first such split."""
    for cut in range(3, len(word) - 2):
        head, tail = word[:cut], word[cut:]
        if hash(f"o:{head}") in post and hash(f"o:{tail}") in post:
            return head, tail
    return ()


def _org_keys(words: tuple[str, ...], query: bool = False) -> list[tuple[str, float]]:
    if nm.TRADING_AS in words:
        # The statutory name and each trade name are looked up as names of their own.
        parts = sc.org_name_parts(words)
        return list(dict.fromkeys(key for part in parts for key in _org_keys(part, query)))
    keys: list[tuple[str, float]] = []
    for word in _org_content(words)[:6]:
        keys.append((f"o:{word}", _W_ORG))
        ph = nm.phonetic(word)
        if len(ph) >= 3:
            keys.append((f"q:{ph}", _W_ORG_PHON))
    content = _org_content(words)[:4]
    for i, first in enumerate(content):
        # A typo in one word: the other word + first and last letter of this one.
        for second in content[i + 1 :]:
            keys.append((f"oh:{first}|{second[0]}{second[-1]}", _W_ORG_PHON))
            keys.append((f"oh:{second}|{first[0]}{first[-1]}", _W_ORG_PHON))
    if not query:
        # A query looks these up only for words the register does not know (Matcher._candidates).
        keys += [(key, _W_ORG_PHON) for key in map(_org_typo_key, content[:3]) if key]
    if len(words) > 1:
        keys.append((f"o:{''.join(words)}", _W_ORG))
    if words:
        keys.append((f"of:{' '.join(sorted(words))}", _W_ORG_FULL))
    return keys


def _entity_keys(kind: int, name: Any, dob: int, addr: nm.NormAddress | None,
                 ids: tuple[tuple[str, str], ...], query: bool) -> list[tuple[str, float]]:
    keys: list[tuple[str, float]] = []
    if kind == _P:
        keys += _person_keys(name, query)
        if dob and dob % 10000:
            keys.append((f"d:{dob}", _W_DOB))
            if query and _dob_swapped(dob):
                keys.append((f"d:{_dob_swapped(dob)}", _W_DOB))
        if query:
            keys += [(f"o:{w}", _W_CROSS) for _p, core in name[1] for w in core if len(w) > 1][:3]
    elif kind == _O:
        keys += _org_keys(name[0], query)
        if query:
            content = _org_content(name[0])
            keys += [(f"s:{w}", _W_CROSS) for w in content[:3]]
            # First two letters swapped ("lSagerij"): look the repaired word up too.
            swapped = tuple(w[1] + w[0] + w[2:] if len(w) > 3 and w[0] != w[1] else w for w in name[0])
            keys += [(k, w) for k, w in _org_keys(swapped) if k.startswith(("o:", "oh:"))]
    keys += _address_keys(addr)
    keys += [(f"x:{k}:{v}", _W_ID) for k, v in ids]
    return keys


#: A normalised record ready for insertion: (id, kind, name, dob, nationality, address,
#: identifiers, key hashes, frequency-count words).
_Prepared = tuple[Any, int, Any, int, str, Any, tuple, tuple[int, ...], tuple[str, ...]]
#: Batches at least this large are normalised by forked workers.
PARALLEL_MIN_BUILD = 50_000
_SHARED_RECORDS: list[Any] | None = None


def _count_keys(kind: int, name: Any, addr: nm.NormAddress | None) -> tuple[str, ...]:
    """The words whose register frequency the TF weighting needs, and the place of the address
    (a company name that carries a place, "Club Paradise Emmen", is often written without it)."""
    words: set[str] = set()
    if addr is not None and addr[4] and " " not in addr[4]:
        words.add(f"c:{addr[4]}")
    if kind == _P:
        given, comps = name
        words.update(f"s:{w}" for _p, core in comps for w in core)
        words.update(f"g:{g}" for g in given if len(g) > 1)
        words.update(f"g:{g[0]}" for g in given)  # initials
    elif kind == _O:
        words.update(f"o:{w}" for w in name[0])
    return tuple(words)


def _prepare_query(entity_id: Any, q: _Query) -> _Prepared:
    keys = _entity_keys(q.kind, q.name, q.dob, q.addr, q.ids, query=False)
    return (entity_id, q.kind, q.name, q.dob, q.nat, q.addr, q.ids, tuple(hash(k) for k, _w in keys),
            _count_keys(q.kind, q.name, q.addr))


def _prepare(record: Any) -> _Prepared | None:
    q = normalise_record(record)
    if q is None:
        return None
    return _prepare_query(_hashable_id(record.id), q)


def _prepare_range(task: tuple[int, int]) -> list[_Prepared | None]:
    start, end = task
    assert _SHARED_RECORDS is not None
    return [_prepare(_SHARED_RECORDS[i]) for i in range(start, end)]


def _available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class Matcher:
    """An in-memory index of register records that finds the ones a query record may denote.

    ``Matcher(records)`` builds the index; :meth:`add` and :meth:`remove` change it;
    :meth:`match` and :meth:`match_many` screen. Adding a record whose id is already present
    replaces it. Ids must be hashable (others are replaced by their ``repr``).
    """

    def __init__(self, records: Iterable[Any] = ()) -> None:
        self._reset()
        self.add(records)

    # -- storage ------------------------------------------------------------------------------

    def _reset(self) -> None:
        self._ids: list[Any] = []
        self._kind = bytearray()
        self._name: list[Any] = []
        self._dob = array("i")
        self._nat: list[str] = []
        self._addr: list[nm.NormAddress | None] = []
        self._idents: list[tuple[tuple[str, str], ...]] = []
        self._slot: dict[Any, int] = {}
        self._post: dict[int, int | array] = {}
        self._intern: dict[Any, Any] = {}
        self._count: dict[str, int] = {}  # surname / given / initial / org-word frequencies
        self._near_cache: dict[str, int] = {}  # prefix + word -> entities one edit away (see _near)
        self._n = [0, 0, 0, 0]  # live entities per kind
        self._dead = 0

    def _i(self, value: Any) -> Any:
        """Intern a hashable value so equal names share one object."""
        return self._intern.setdefault(value, value)

    def __len__(self) -> int:
        return len(self._slot)

    def __contains__(self, entity_id: Any) -> bool:
        return _hashable_id(entity_id) in self._slot

    def add(self, records: Iterable[Any]) -> int:
        """Index *records* (persons, organisations, address records); return how many were added.

        Objects that are not records (``None``, dicts...) are skipped. A record whose id is
        already indexed replaces the old one. Large batches are normalised by forked workers.
        """
        records = records if isinstance(records, list) else list(records)
        self._near_cache.clear()
        added = 0
        for prepared in self._prepare_all(records):
            if prepared is None:
                continue
            entity_id = prepared[0]
            if entity_id in self._slot:
                self.remove([entity_id])
            self._insert(prepared)
            added += 1
        return added

    def _prepare_all(self, records: list[Any]) -> Iterator[_Prepared | None]:
        workers = _available_cores()
        if (workers <= 1 or len(records) < PARALLEL_MIN_BUILD
                or "fork" not in multiprocessing.get_all_start_methods()):
            yield from map(_prepare, records)
            return
        global _SHARED_RECORDS
        chunk = 20_000
        _SHARED_RECORDS = records
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)  # fork + threads (3.12+)
                with multiprocessing.get_context("fork").Pool(workers) as pool:
                    ranges = [(start, min(len(records), start + chunk))
                              for start in range(0, len(records), chunk)]
                    for part in pool.imap(_prepare_range, ranges):
                        yield from part
        finally:
            _SHARED_RECORDS = None

    def _insert(self, prepared: _Prepared) -> None:
        entity_id, kind, name, dob, nat, addr, ids, hashes, words = prepared
        slot = len(self._ids)
        i = self._i
        if name is not None:
            name = (i(name[0]), i(name[1]))
        if addr is not None:
            # Numbers, streets and places repeat; postcodes barely do.
            addr = (addr[0], *(sys.intern(part) for part in addr[1:]))
        self._ids.append(entity_id)
        self._kind.append(kind)
        self._name.append(name)
        self._dob.append(dob)
        self._nat.append(sys.intern(nat))
        self._addr.append(addr)
        self._idents.append(ids if ids else ())
        self._slot[entity_id] = slot
        self._n[kind] += 1
        count = self._count
        for word in words:
            count[word] = count.get(word, 0) + 1
        post = self._post
        for h in hashes:
            current = post.get(h)
            if current is None:
                post[h] = slot
            elif type(current) is int:
                if current != slot:  # the same key twice for one entity
                    post[h] = array("i", (current, slot))
            elif current[-1] != slot:
                current.append(slot)

    def _count_words(self, kind: int, name: Any, addr: nm.NormAddress | None, delta: int) -> None:
        count = self._count
        for word in _count_keys(kind, name, addr):
            count[word] = count.get(word, 0) + delta

    def remove(self, ids: Iterable[Any]) -> int:
        """Remove the entities with these ids; unknown ids are ignored. Returns how many went."""
        self._near_cache.clear()
        removed = 0
        for entity_id in ids:
            slot = self._slot.pop(_hashable_id(entity_id), None)
            if slot is None:
                continue
            kind = self._kind[slot]
            self._count_words(kind, self._name[slot], self._addr[slot], -1)
            self._n[kind] -= 1
            self._kind[slot] = _KIND_DEAD
            self._name[slot] = None
            self._addr[slot] = None
            self._idents[slot] = ()
            self._dead += 1
            removed += 1
        # Postings still name dead slots (they are skipped); compact when they pile up.
        if self._dead > 1000 and self._dead > len(self._ids) // 3:
            self._compact()
        return removed

    def _compact(self) -> None:
        rows = [
            _prepare_query(self._ids[s], _Query(self._kind[s], self._name[s], self._dob[s], self._nat[s],
                                                self._addr[s], self._idents[s]))
            for s in range(len(self._ids)) if self._kind[s] != _KIND_DEAD
        ]
        self._reset()
        for prepared in rows:
            self._insert(prepared)

    # -- statistics for TF weighting ---------------------------------------------------------

    def _block_size(self, key: str) -> int:
        current = self._post.get(hash(key))
        if current is None:
            return 0
        return 1 if type(current) is int else len(current)

    def _stats(self) -> sc.Stats:
        count = self._count
        return sc.Stats(
            n_persons=self._n[_P], n_orgs=self._n[_O],
            surname=lambda w: count.get(f"s:{w}", 0),
            given=lambda w: count.get(f"g:{w}", 0),
            org_word=lambda w: count.get(f"o:{w}", 0),
            full_name=lambda g, s: self._block_size(f"{'i' if len(g) == 1 else 'g'}:{g}|{s}"),
            org_name=lambda words: self._block_size(f"of:{' '.join(sorted(words))}"),
            place=lambda w: count.get(f"c:{w}", 0),
            near_surname=lambda w: self._near("s:", w),
            near_org_word=lambda w: self._near("o:", w),
        )

    def _near(self, prefix: str, word: str) -> int:
        """Register entities with a *prefix* word ("s:" surname, "o:" organisation word) at most one
        edit from *word* (cached until the register changes)."""
        key = prefix + word
        cached = self._near_cache.get(key)
        if cached is None:
            count = self._count
            cached = sum(count.get(prefix + variant, 0) for variant in _one_edit(word))
            if len(self._near_cache) > 100_000:
                self._near_cache.clear()
            self._near_cache[key] = cached
        return cached

    # -- retrieval ---------------------------------------------------------------------------

    def _candidates(self, q: _Query) -> list[int]:
        keys = _entity_keys(q.kind, q.name, q.dob, q.addr, q.ids, query=True)
        if q.kind == _P and q.name and not q.name[0] and len(nm.surname_core(q.name)) >= 2:
            # A whole name in the surname field: try its words as given names too.
            words = nm.surname_core(q.name)
            keys += _person_keys((words[:1], (((), words[1:]),)), query=True)
        post = self._post
        if q.kind == _O:
            # A word the register does not know may be misspelt: look up its typo key. Known words
            # skip it, so "Bouwbedrijf" does not fetch every "Bou…ijf" a second time.
            unknown = [w for w in _org_content(q.name[0])[:3] if hash(f"o:{w}") not in post]
            keys += [(key, _W_ORG_PHON) for word in unknown if (key := _org_typo_key(word))]
            # Or two register words written as one ("TopUitzendbureau"): its known halves.
            keys += [(f"o:{half}", _W_ORG_PHON) for word in unknown for half in _known_halves(word, post)]
        total = max(1, len(self._ids))
        acc: dict[int, float] = {}
        seen: set[int] = set()
        kinds = self._kind
        for key, weight in keys:
            h = hash(key)
            if h in seen:
                continue
            seen.add(h)
            block = post.get(h)
            if block is None:
                continue
            if type(block) is int:
                acc[block] = acc.get(block, 0.0) + weight * math.log2(1 + total)
                continue
            size = len(block)
            if size > MAX_BLOCK:
                continue
            w = weight * math.log2(1 + total / size)
            for slot in block:
                acc[slot] = acc.get(slot, 0.0) + w
        allowed = (_A,) if q.kind == _A else (_P, _O)
        slots = [s for s in acc if kinds[s] in allowed]
        if len(slots) > MAX_CANDIDATES:
            slots = heapq.nlargest(MAX_CANDIDATES, slots, key=acc.__getitem__)
        return slots

    # -- scoring -----------------------------------------------------------------------------

    def _score(self, q: _Query, slot: int, stats: sc.Stats, explain: bool,
               cut: float = -1.0) -> tuple[float, list[Feature]]:
        kind = self._kind[slot]
        if q.kind == _A:
            return _score_address(q, self._addr[slot], explain)
        return _score_entity(q, kind, self._name[slot], self._dob[slot], self._nat[slot],
                             self._addr[slot], self._idents[slot], stats, explain, cut)

    def match(self, record: Any, limit: int = 10, threshold: float | None = None) -> list[Hit]:
        """Return at most *limit* register entities that may be *record*, best first.

        Only hits scoring at least *threshold* (default :data:`REVIEW_THRESHOLD`) are returned.
        Unusable input (not a record, no name/identifier/address) gives ``[]``, never an error.
        """
        q = normalise_record(record)
        if q is None or limit is None or limit <= 0:
            return []
        cut = REVIEW_THRESHOLD if threshold is None else threshold
        stats = self._stats()
        scored = []
        for slot in self._candidates(q):
            raw, _f = self._score(q, slot, stats, explain=False, cut=cut)
            if raw > 0.0 and min(1.0, raw) >= cut:
                scored.append((-raw, slot))
        scored.sort()
        hits = []
        for _neg, slot in scored[:limit]:
            raw, features = self._score(q, slot, stats, explain=True)
            hits.append(Hit(self._ids[slot], round(max(0.0, min(1.0, raw)), 4), sc.explain(features),
                            tuple(features)))
        return hits

    def match_many(self, records: Iterable[Any], limit: int = 10, threshold: float | None = None,
                   workers: int | None = None) -> list[list[Hit]]:
        """:meth:`match` for each record, in order, on all available cores for big batches.

        Workers are forked and share the index copy-on-write; where ``fork`` is unavailable, or
        the batch is small, the batch runs in this process.
        """
        queries = list(records)
        if workers is None:
            workers = _available_cores()
        if (workers <= 1 or len(queries) < PARALLEL_MIN_BATCH
                or "fork" not in multiprocessing.get_all_start_methods()):
            return [self.match(r, limit, threshold) for r in queries]
        global _SHARED
        chunk = max(1, math.ceil(len(queries) / (workers * 4)))
        ranges = [(start, min(len(queries), start + chunk), limit, threshold)
                  for start in range(0, len(queries), chunk)]
        _SHARED = (self, queries)
        # Keep the collector in the children from touching (and so copying) the shared index;
        # leave a caller's own freeze alone.
        froze = gc.get_freeze_count() == 0
        if froze:
            gc.freeze()
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)  # fork + threads (3.12+)
                ctx = multiprocessing.get_context("fork")
                with ctx.Pool(workers) as pool:
                    parts = pool.map(_match_range, ranges)
        finally:
            _SHARED = None
            if froze:
                gc.unfreeze()
        return [hits for part in parts for hits in part]


_SHARED: tuple[Matcher, list[Any]] | None = None


def _match_range(task: tuple[int, int, int, float | None]) -> list[list[Hit]]:
    start, end, limit, threshold = task
    assert _SHARED is not None
    matcher, queries = _SHARED
    return [matcher.match(queries[i], limit, threshold) for i in range(start, end)]


# --------------------------------------------------------------------------------------------
# Scoring of one candidate
# --------------------------------------------------------------------------------------------


def _score_address(q: _Query, addr: nm.NormAddress | None, explain: bool) -> tuple[float, list[Feature]]:
    if q.addr is None or addr is None:
        return 0.0, []
    value, label = sc.address_sim(q.addr, addr)
    features = []
    if explain and value:
        features.append(Feature("address", label, sc.display_address(q.addr), sc.display_address(addr),
                                value))
    return value, features


def _person_tf(stats: sc.Stats, surname_word: str, given_word: str, has_given: bool,
               bag: bool = False) -> float:
    """Expected register persons sharing this name by chance (Splink-style term frequency).

    Words come as "register|query"; a fuzzy pair counts with the more frequent of the two (as
    Splink does), so a misspelt query of a common name is not mistaken for a rare name.
    """
    n = max(1, stats.n_persons)
    s_words = [w for w in surname_word.split("|") if w]
    if bag:
        # Roles unknown: a word's frequency as surname and as given name together.
        expected = float(n)
        for token in (surname_word, given_word):
            words = [w for w in token.split("|") if w]
            if words:
                expected *= (max(stats.surname(w) + stats.given(w) for w in words) + 0.5) / (n + 1)
        return expected
    f_s = (max(stats.surname(w) for w in s_words) + 0.5) / (n + 1) if s_words else 1.0
    expected = n * f_s
    if has_given and given_word:
        # Every matched given name makes the name rarer (independence, as Fellegi-Sunter).
        r_part, _sep, q_part = given_word.partition("|")
        r_words, q_words = r_part.split(), q_part.split()
        for i, word in enumerate(r_words):
            count = stats.given(word)
            if i < len(q_words):
                count = max(count, stats.given(q_words[i]))
            expected *= (count + 0.5) / (n + 1)
        if s_words and len(r_words) == 1:
            # Observed namesakes (given name or initial + surname) when more than estimated.
            expected = max(expected, stats.full_name(r_words[0], s_words[0]))
    return expected


def _fuzzy_surname_factor(stats: sc.Stats, surname_word: str) -> float:
    """How many more register persons a misspelt surname agrees with than an exact one.

    A fuzzy agreement is likelier by chance than an exact one (Fellegi-Sunter: its u-probability is
    the frequency of every name that close, not of one name): "Bayman" is one edit from "Bayhan",
    "Bayram" and "Bagman", "Tarasjoejoek" from nothing else. The factor is the count of register
    persons whose surname is one edit from the query's, against the count of the exact word.
    """
    r_word, _sep, q_word = surname_word.partition("|")
    if not r_word or not q_word or r_word == q_word or len(q_word) < 3:
        return 1.0
    exact = max(stats.surname(r_word), stats.surname(q_word))
    return max(1.0, (stats.near_surname(q_word) + 0.5) / (exact + 0.5))


def _fuzzy_org_factor(stats: sc.Stats, q_words: tuple[str, ...], r_words: tuple[str, ...]) -> float:
    """:func:`_fuzzy_surname_factor` for the misspelt words of a company name ("Boeck" ~ "Bock")."""
    factor = 1.0
    r_set = set(r_words)
    for word in q_words:
        if word in r_set or len(word) < 3 or word in nm.GENERIC_ORG_WORDS or word in nm.PARTICLES:
            continue
        best = max(r_words, key=lambda r: sc.token_sim(word, r))
        if sc.token_sim(word, best) < 0.8:
            continue
        exact = max(stats.org_word(word), stats.org_word(best))
        factor *= max(1.0, (stats.near_org_word(word) + 0.5) / (exact + 0.5))
    return factor


def _org_tf(stats: sc.Stats, words: tuple[str, ...]) -> float:
    """Expected organisations in the register with this name: the observed count of the exact
    name, or, if larger, the count expected from its words' document frequencies (so "Cafetaria
    de Vries" is common even when it happens to be listed once)."""
    n = max(1, stats.n_orgs)
    expected = float(n)
    for word in set(words) - nm.PARTICLES:
        expected *= (stats.org_word(word) + 0.5) / (n + 1)
    return max(float(stats.org_name(words)), expected)


def _cross_sim(person: nm.PersonName, org_words: tuple[str, ...]) -> tuple[float, str, str]:
    """Person name against a company name ("J. de Vries Holding"): the company must consist of
    the person's name plus generic words. Returns (similarity, matched surname, given word)."""
    given, comps = person
    cores = [w for _p, core in comps for w in core]
    p_words = [*given, *cores]
    o_words = [w for w in org_words if w not in nm.PARTICLES]
    pairs = sc._align(p_words, o_words)
    n_given = len(given)
    surname_hit = [p_words[i] for i, _j, _s in pairs if i >= n_given]
    if not surname_hit:
        return 0.0, "", ""
    used_p = {i for i, _j, _s in pairs}
    used_o = {j for _i, j, _s in pairs}
    extra_o = sum(1.0 for j, w in enumerate(o_words) if j not in used_o and w not in nm.GENERIC_ORG_WORDS)
    extra_o += sum(0.1 for j, w in enumerate(o_words) if j not in used_o and w in nm.GENERIC_ORG_WORDS)
    total = sum(s for _i, _j, s in pairs)
    value = total / (len(pairs) + 0.3 * (len(p_words) - len(used_p)) + 0.5 * extra_o)
    if not any(i < n_given for i in used_p):
        value *= SURNAME_ONLY_CROSS
    elif not any(i < n_given and len(p_words[i]) > 1 and len(o_words[j]) > 1 for i, j, _s in pairs):
        value *= CROSS_INITIALS_FACTOR  # "J. de Vries Holding": initials say little
    given_word = next((p_words[i] for i, _j, _s in pairs if i < n_given), "")
    return value, max(surname_hit, key=len), given_word


SURNAME_ONLY_CROSS = sc.SURNAME_ONLY_FACTOR
CROSS_INITIALS_FACTOR = 0.85


def _score_entity(q: _Query, kind: int, name: Any, dob: int, nat: str, addr: nm.NormAddress | None,
                  idents: tuple[tuple[str, str], ...], stats: sc.Stats,
                  explain: bool, cut: float = -1.0) -> tuple[float, list[Feature]]:
    features: list[Feature] = []
    name_features: list[tuple[str, str, str, str, float]] = []  # (name, label, q, r, share)
    chance = 1.0

    # Qualifiers first: they also tell how surprising the name agreement is.
    dob_value, dob_label, dob_chance = sc.dob_compare(q.dob, dob) if kind == _P == q.kind else (0.0, "", 1.0)
    chance *= dob_chance
    addr_value, addr_label = (0.0, "")
    if q.addr is not None and addr is not None:
        sim, addr_label = sc.address_sim(q.addr, addr)
        if sim >= 0.85:
            addr_value = sc.ADDRESS_MATCH * sim
            chance *= sc._CHANCE_ADDRESS
        elif sim >= 0.5:
            addr_value = sc.ADDRESS_WEAK
        elif sim == 0.0 and kind == q.kind and sc.address_complete(q.addr) and sc.address_complete(addr):
            # Only between records of one kind: a person's home and a company's seat differ anyway.
            addr_value, addr_label = sc.ADDRESS_CONFLICT, "ander adres"
        else:
            addr_label = ""
    id_value, id_label, id_text, id_conflict, id_conflict_label = sc.id_compare(
        q.ids, idents, same_kind=q.kind == kind)

    # Name evidence.
    n_value = 0.0
    expected = 1.0
    fuzzy_factor: Callable[[], float] | None = None  # deferred: most candidates are cut first
    if q.kind == _P and kind == _P:
        res = sc.person_name_sim(q.name, name)
        n_value = sc.PERSON_NAME_WEIGHT * res.value
        if n_value > 0:
            expected = _person_tf(stats, res.surname_token, res.given_token, res.given is not None,
                                  bag=res.mode == "bag")
            if res.mode != "bag" and res.surname < 1.0:
                def fuzzy_factor() -> float:
                    return _fuzzy_surname_factor(stats, res.surname_token)
            if explain:
                q_sur, r_sur, q_giv, r_giv = res.display(q.name, name)
                if res.mode == "bag":
                    name_features.append(("name", res.surname_label, q_sur, r_sur, 1.0))
                elif res.given is None:
                    name_features.append(("surname", res.surname_label + " (zonder voornaam)",
                                          q_sur, r_sur, 1.0))
                else:
                    name_features.append(("surname", res.surname_label, q_sur, r_sur, 0.55))
                    name_features.append(("given_names", res.given_label, q_giv, r_giv, 0.45))
    elif q.kind == _O and kind == _O:
        q_words, q_legal = q.name
        r_words, r_legal = name
        places = tuple(a[4] for a in (q.addr, addr) if a is not None and a[4])
        # A company may go by several names (h.o.d.n.): the best pair counts, and its frequency.
        sim, q_part, r_part = sc.org_name_match(q_words, r_words, stats, places)
        n_value = sc.ORG_NAME_WEIGHT * sim
        if n_value > 0:
            expected = _org_tf(stats, r_part)
            if sim < 1.0:
                def fuzzy_factor() -> float:
                    return _fuzzy_org_factor(stats, q_part, r_part)
            if explain:
                label = "naam gelijk" if sim >= 0.999 else "naam lijkt op"
                name_features.append(("name", label, sc.display_org(q_words), sc.display_org(r_words), 1.0))
        if q_legal and r_legal and q_legal != r_legal:
            features.append(Feature("legal_form", "rechtsvorm verschilt", q_legal, r_legal,
                                    sc.LEGAL_FORM_CONFLICT))
        if q.addr and addr and q.addr[5] and addr[5] and q.addr[5] != addr[5]:
            features.append(Feature("country", "land van vestiging verschilt", q.addr[5], addr[5],
                                    sc.COUNTRY_CONFLICT))
    else:
        person, org_words = (q.name, name[0]) if q.kind == _P else (name, q.name[0])
        sim, s_word, g_word = _cross_sim(person, org_words)
        n_value = sc.CROSS_TYPE_WEIGHT * sim
        if n_value > 0:
            expected = _person_tf(stats, s_word, g_word, bool(g_word))
            if explain:
                q_text = (" ".join(filter(None, (sc.display_given(person[0]), sc.display_surname(person[1]))))
                          if q.kind == _P else sc.display_org(org_words))
                r_text = (sc.display_org(org_words) if q.kind == _P else
                          " ".join(filter(None, (sc.display_given(person[0]), sc.display_surname(person[1])))))
                label = "naam persoon ~ naam organisatie" + (" gelijk" if sim >= 0.999 else " lijkt op")
                name_features.append(("name", label, q_text, r_text, 1.0))

    if not explain and cut > 0:
        # The best this candidate could still reach; most candidates stop here.
        bound = max(n_value, id_value) + sc.CORROBORATION * min(n_value, id_value) + dob_value + addr_value
        if bound < cut:
            return bound, []
    if q.kind == _P and kind == _P and q.nat and nat and q.nat != nat:
        features.append(Feature("nationality", "nationaliteit verschilt", q.nat, nat,
                                sc.NATIONALITY_CONFLICT))
    rest = dob_value + addr_value + id_conflict + sum(f.contribution for f in features)

    def evidence(tf: float) -> tuple[float, float, float, float]:
        """(raw score, name after TF, name scale, identifier share) for a TF penalty."""
        n_eff = max(0.0, n_value - tf)
        # The stronger of name and identifier, plus part of the weaker (corroboration).
        if n_eff >= id_value:
            name_scale, id_share = 1.0, sc.CORROBORATION * id_value
        else:
            name_scale, id_share = sc.CORROBORATION, id_value
        return name_scale * n_eff + id_share + rest, n_eff, name_scale, id_share

    tf = sc.tf_penalty(expected * chance) if n_value > 0 else 0.0
    raw, n_eff, name_scale, id_share = evidence(tf)
    fuzzy = 1.0
    if fuzzy_factor is not None and (explain or raw >= cut):
        # Only a candidate that would otherwise be a hit pays for counting its neighbourhood.
        fuzzy = fuzzy_factor()
        if fuzzy > 1.0:
            expected *= fuzzy
            tf = sc.tf_penalty(expected * chance)
            raw, n_eff, name_scale, id_share = evidence(tf)
    if not explain:
        return raw, []

    out: list[Feature] = []
    for fname, label, qv, rv, share in name_features:
        out.append(Feature(fname, label, qv, rv, round(name_scale * n_value * share, 4)))
    if tf:
        label = (f"naam lijkt op veel namen in register (≈{expected:.0f})" if fuzzy > 1.0 else
                 f"veelvoorkomende naam (≈{expected:.0f} naamgenoten in register)")
        out.append(Feature("name_frequency", label, "", "", round(-name_scale * (n_value - n_eff), 4)))
    if id_value:
        out.append(Feature("identifier", id_label, id_text, id_text, round(id_share, 4)))
    if id_conflict:
        q_vals = ", ".join(v for _k, v in q.ids)
        r_vals = ", ".join(v for _k, v in idents)
        out.append(Feature("identifier_conflict", id_conflict_label, q_vals, r_vals, id_conflict))
    if dob_label:
        out.append(Feature("birth_date", dob_label, nm.format_date(q.dob), nm.format_date(dob), dob_value))
    if addr_label and q.addr is not None and addr is not None:
        out.append(Feature("address", addr_label, sc.display_address(q.addr), sc.display_address(addr),
                           round(addr_value, 4)))
    out.extend(features)
    return raw, out
