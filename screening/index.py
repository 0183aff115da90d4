"""The in-memory screening index: every name, alias and address of every entry, searchable.

Build once per list snapshot (a second or two for the full CSL); `screen` is
read-only, so one index can serve many threads. A search looks each query
word up (typos included), gathers the names that share a distinctive word,
pre-ranks them cheaply, aligns the best few in full, keeps each party's
best-scoring name and counts, per list, the parties that did not fit in the
limit. A query that looks like an address is also matched against every
entry's addresses and against address-only entries. A query pasted from a list
(with "Affiliated Entity:" parts, an acronym or other name in parentheses) or
with a note after the name is also screened as the names it holds.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterable, Iterator

from screening.addresses import (
    ADDRESS_ENTITY_TYPE,
    address_tokens,
    address_variant,
    looks_like_address,
)
from screening.bands import DEFAULT_THRESHOLDS, MATCH, REPORT_FLOOR, REVIEW, Thresholds
from screening.display import screening_forms
from screening.entries import INDIVIDUAL, ScreeningEntry
from screening.errors import InvalidQueryError
from screening.explain import explain
from screening.name_sound import SOUND_SCORE, PersonSounds
from screening.names import (
    NameVariant,
    name_variants,
    query_names,
    query_variants,
    without_note,
)
from screening.parties import party_ids
from screening.query import PreparedQuery, query_text, validate_query
from screening.results import (
    MATCHED_ON_ADDRESS,
    MATCHED_ON_NAME,
    ScreeningAnswer,
    ScreeningResult,
)
from screening.scoring import (
    Alignment,
    IndexedName,
    align,
    numbered_otherwise,
    rescore_for_entity_type,
)
from screening.table import NameTable
from screening.ties import extension_counts, parent_counts, qualified

# Characters without which a query is one name as the list would cut it (parentheses,
# brackets, "Affiliated Entity:"); a trailing address after a comma alone leaves one.
_CUT_MARKS = frozenset("([:")

# (alignment, matched text, what matched, the query it was prepared as)
_Found = tuple[Alignment, IndexedName, str, PreparedQuery]


class ScreeningIndex:
    def __init__(
        self,
        *,
        entries: tuple[ScreeningEntry, ...],
        names: NameTable,
        addresses: NameTable,
    ) -> None:
        self._entries = entries
        self._names = names
        self._addresses = addresses
        self._party_of, self._parties = party_ids(entries)
        self._sounds = PersonSounds(
            names.names,
            (
                p
                for p, name in enumerate(names.names)
                if entries[name.entry].entity_type == INDIVIDUAL
            ),
        )

    @classmethod
    def build(cls, entries: Iterable[ScreeningEntry]) -> ScreeningIndex:
        # Building allocates hundreds of thousands of small objects and no cycles worth
        # collecting; the cyclic GC would walk them again and again (measured: a quarter
        # of the build time on the 2022 snapshot).
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            frozen = tuple(entries)
            return cls(
                entries=frozen,
                names=NameTable.build(_name_variants(frozen)),
                addresses=NameTable.build(
                    _address_variants(frozen), fuzzy=False, tokenizer=address_tokens
                ),
            )
        finally:
            if was_enabled:
                gc.enable()

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def name_count(self) -> int:
        """How many names and aliases (after splitting a.k.a. parts) are indexed."""
        return len(self._names.names)

    @property
    def address_count(self) -> int:
        return len(self._addresses.names)

    def search(
        self,
        query: object,
        *,
        limit: int = 10,
        thresholds: Thresholds | None = None,
        query_is_person: bool = False,
    ) -> list[ScreeningResult]:
        """Ranked candidates for `query`, best first, one per party (see `screen`)."""
        answer = self.screen(
            query, limit=limit, thresholds=thresholds, query_is_person=query_is_person
        )
        return list(answer.results)

    def screen(
        self,
        query: object,
        *,
        limit: int = 10,
        thresholds: Thresholds | None = None,
        query_is_person: bool = False,
    ) -> ScreeningAnswer:
        """Ranked candidates for `query`, one per party, and how many more each list had.

        A name is compared as a person's when the indexed entry is an individual, or,
        with `query_is_person`, when the query is a listed individual's name (monitoring
        screens listed names against an index of counterparties).

        Raises an `InvalidQueryError` subclass for input that cannot be screened, text
        or not.
        """
        text = query_text(query)
        bands = thresholds or DEFAULT_THRESHOLDS
        best: dict[int, _Found] = {}
        support: dict[int, float] = {}
        for prepared in self._prepared_forms(text):
            self._collect(best, support, prepared, query_is_person=query_is_person)
        if looks_like_address(text):
            self._collect_addresses(best, support, text)
        floor = min(REPORT_FLOOR, bands.review)
        kept = [found for found in best.values() if found[0].score >= floor]
        names = [self._entries[found[1].entry].name for found in kept]
        families = zip(parent_counts(names), extension_counts(names), kept, strict=True)
        ranked = [
            found
            for *_, found in sorted(families, key=lambda f: self._rank_key(*f, support=support))
        ]
        shown = ranked[: max(limit, 0)]
        omitted: dict[str, int] = {}
        for found in ranked[len(shown) :]:
            code = self._entries[found[1].entry].list_code
            omitted[code] = omitted.get(code, 0) + 1
        return ScreeningAnswer(
            results=tuple(self._result(found, bands, asked=text) for found in shown),
            omitted=omitted,
        )

    def _prepared_forms(self, query: str) -> list[PreparedQuery]:
        """The query as stored and, when direction controls reorder it, as a person sees
        it (screening.display); a displayed form the engine refuses is passed over."""
        prepared = self._prepared_names(query)
        for form in screening_forms(query)[1:]:
            try:
                prepared += self._prepared_names(form)
            except InvalidQueryError:
                continue
        return prepared

    def _prepared_names(self, query: str) -> list[PreparedQuery]:
        """The query prepared once per name it gives ("X d/b/a Y" is screened as X and Y).

        The query as a whole must be usable; a part that holds only a legal form is
        passed over.
        """
        names = query_names(query)
        if not names or names == [query]:
            whole = self._names.prepare(query)
            return [whole, *self._cut_as_listed(query, whole)]
        validate_query(query)
        prepared: list[PreparedQuery] = []
        for name in names:
            try:
                part = self._names.prepare(name)
            except InvalidQueryError:
                continue
            prepared.append(part)
            prepared.extend(self._cut_as_listed(name, part))
        return prepared or [self._names.prepare(query)]

    def _cut_as_listed(self, text: str, whole: PreparedQuery) -> list[PreparedQuery]:
        """`text` cut into names the way a list name is cut, beside `whole`, the text as typed.

        A pasted list name ("X Co., Ltd. (X).  Affiliated Entity:  Y Co., Ltd.", "AVS
        (Armored Vehicle Spares)", a bracketed note) was indexed as several names; typed
        whole, its words are split among them and none scores high. Each part of the
        query, tokenized as the list's part was, meets its listed counterpart word for word.
        """
        parts: list[PreparedQuery] = []
        name = without_note(text)
        if name is not None:
            with contextlib.suppress(InvalidQueryError):
                parts.append(self._names.prepare(name))
        if not _CUT_MARKS.intersection(text):
            return parts
        variants = query_variants(text)
        if len(variants) < 2:
            # One name either way: the text as typed says more ("Acme (Shenzhen)" is
            # not "Acme" with a note).
            return parts
        seen = {tuple(token.text for token in whole.tokens)}
        seen.update(tuple(token.text for token in part.tokens) for part in parts)
        for variant in variants:
            key = tuple(token.text for token in variant.tokens)
            if key in seen:
                continue
            seen.add(key)
            try:
                parts.append(self._names.prepare_tokens(variant.text, variant.tokens))
            except InvalidQueryError:
                continue
        return parts

    def _collect_addresses(
        self, best: dict[int, _Found], support: dict[int, float], query: str
    ) -> None:
        try:
            prepared = self._addresses.prepare(query)
        except InvalidQueryError:
            return
        self._collect(best, support, prepared, matched_on=MATCHED_ON_ADDRESS)

    def _collect(
        self,
        best: dict[int, _Found],
        support: dict[int, float],
        query: PreparedQuery,
        *,
        matched_on: str = MATCHED_ON_NAME,
        query_is_person: bool = False,
    ) -> None:
        """Keep, per party, the best alignment of `query` with the table's candidates,
        and add the party's best score for `query` to its `support`."""
        table = self._names if matched_on == MATCHED_ON_NAME else self._addresses
        here: dict[int, float] = {}
        positions = table.candidates(query)
        sounds = frozenset[str]()
        if matched_on == MATCHED_ON_NAME and not query_is_person:
            sounds = self._sounds.keys_of(query)

        def then_sounds() -> Iterator[int]:
            yield from positions
            # A romanisation that shares no word with the listed name
            # (`screening.name_sound`) is looked for only when no word found a person's
            # name as well.
            if sounds and max(here.values(), default=0.0) < SOUND_SCORE:
                known = set(positions)
                yield from (p for p in self._sounds.candidates(sounds) if p not in known)

        for position in then_sounds():
            name = table.names[position]
            entry = self._entries[name.entry]
            alignment = align(query, name)
            if matched_on == MATCHED_ON_NAME:
                alignment = numbered_otherwise(
                    rescore_for_entity_type(
                        alignment,
                        query=query,
                        name=name,
                        entity_type=entry.entity_type,
                        query_is_person=query_is_person,
                    ),
                    query,
                    name,
                )
                if sounds and entry.entity_type == INDIVIDUAL:
                    alignment = self._sounds.rescore(
                        alignment, query=query, keys=sounds, position=position, name=name
                    )
            party = self._party_of[name.entry]
            current = best.get(party)
            if current is None or alignment.score > current[0].score:
                best[party] = (alignment, name, matched_on, query)
            if alignment.score > here.get(party, 0.0):
                here[party] = alignment.score
        for party, score in here.items():
            support[party] = support.get(party, 0.0) + score

    def _rank_key(
        self, parent_of: int, extended_by: int, found: _Found, *, support: dict[int, float]
    ) -> tuple[float, float, bool, int, int, bool, int, int, str, str]:
        # Ties: the party that more parts of the query found (a pasted "X (X). Affiliated
        # Entity: Y" ties every entry of X's family, but only its own holds Y too); then
        # (screening.ties) a family's parent before its affiliates, the list name before an
        # alias, the shorter name and entry; the entry's name and key last, so that equal
        # candidates come in the same order on every run.
        alignment, name, _, _ = found
        entry = self._entries[name.entry]
        return (
            -round(alignment.score, 4),
            -round(support.get(self._party_of[name.entry], 0.0), 4),
            qualified(entry.name),
            -parent_of,
            -extended_by,
            name.is_alias,
            len(name.tokens),
            len(entry.name),
            entry.name,
            entry.entry_key,
        )

    def _result(self, found: _Found, bands: Thresholds, *, asked: str) -> ScreeningResult:
        alignment, name, matched_on, query = found
        score = round(alignment.score, 4)
        band = bands.band(score)
        entry = self._entries[name.entry]
        others = [
            self._entries[n] for n in self._parties[self._party_of[name.entry]] if n != name.entry
        ]
        return ScreeningResult(
            entry=entry,
            matched_name=name.text,
            score=score,
            band=REVIEW if alignment.at_most_review and band == MATCH else band,
            explanation=explain(query, name, alignment, asked=asked),
            party=(entry, *others) if others else (),
            matched_on=matched_on,
        )


def _name_variants(entries: tuple[ScreeningEntry, ...]) -> Iterable[tuple[int, NameVariant]]:
    for number, entry in enumerate(entries):
        if entry.entity_type == ADDRESS_ENTITY_TYPE:
            continue
        seen: set[tuple[str, ...]] = set()
        for rank, text in enumerate(entry.all_names):
            for variant in name_variants(text, is_alias=rank > 0):
                key = tuple(token.text for token in variant.tokens)
                if key not in seen:
                    seen.add(key)
                    yield number, variant


def _address_variants(entries: tuple[ScreeningEntry, ...]) -> Iterable[tuple[int, NameVariant]]:
    # A third of the lists' addresses are printed again under another entry (one row
    # per program, a shared office): each distinct text is read once per build.
    read: dict[str, NameVariant | None] = {}
    for number, entry in enumerate(entries):
        texts = entry.addresses
        if entry.entity_type == ADDRESS_ENTITY_TYPE:
            texts = (entry.name, *texts)
        for text in dict.fromkeys(texts):
            if text not in read:
                read[text] = address_variant(text)
            variant = read[text]
            if variant is not None:
                yield number, variant
