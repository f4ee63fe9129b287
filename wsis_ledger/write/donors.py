"""Donors as an import names them: found by id, name or alias in any script, suggested
when only close, and new ones added with an id made from their name."""

from __future__ import annotations

import difflib
import json
import re
import unicodedata
from typing import TYPE_CHECKING

from wsis_ledger.core.fields import match_key, name_key
from wsis_ledger.core.ledger import Ledger

if TYPE_CHECKING:
    from wsis_ledger.write.imports import ImportPlan


class DonorIndex:
    """Donors by id, name and alias, in any script and language.

    A name finds a donor when it is one of the donor's id, names or aliases as
    `name_key` compares them (case, Unicode composition and spaces do not
    matter), or else as `match_key` does (accents and punctuation do not matter
    either) when that finds one donor only. A name that finds none may be close
    to one (`suggestion`): that is only ever suggested, with the alias line that
    would make the match certain.
    """

    #: How alike two names must be (difflib's ratio) for one to be suggested for the other,
    #: and how much closer than any other donor the one suggested must be.
    CLOSE = 0.8
    MARGIN = 0.1

    def __init__(self, ledger: Ledger) -> None:
        self.by_key: dict[str, str] = {}
        #: Donors by `match_key` of each of their names (more than one: ambiguous).
        self.by_match: dict[str, set[str]] = {}
        self.names: dict[str, str] = {}  # each donor's name as a message shows it
        #: Each name's key, worked out once: an import names a donor row after row.
        self.keys: dict[str, str] = {}
        #: The ids this import made for new donors (matched by their names, not these).
        self.made: set[str] = set()
        for donor in ledger.donors:
            self.names.setdefault(donor.id, donor.name.en)
            # its name in every language the ledger gives (en, zh, fr, es, ru, ar)
            for key in (donor.id, *donor.name.texts(), *donor.aliases):
                if key:
                    self.by_key.setdefault(name_key(key), donor.id)
                    self.by_match.setdefault(match_key(key), set()).add(donor.id)

    def find(self, name: str) -> str | None:
        key = self.keys.get(name)
        if key is None:
            key = self.keys[name] = name_key(name)
        found = self.by_key.get(key)
        if found is None:
            matched = self.by_match.get(match_key(name), set())
            found = next(iter(matched)) if len(matched) == 1 else None
        return found

    def suggest(self, name: str) -> list[str]:
        return difflib.get_close_matches(name_key(name), list(self.by_key), n=2, cutoff=0.6)

    def close_donors(self, name: str) -> list[str]:
        """The donors one of whose names is close to `name` (difflib's ratio of their
        `match_key`s at least `CLOSE`) and about as close as the closest (within
        `MARGIN` of it), the closest first: one donor when the guess is clear."""
        wanted = match_key(name)
        scores: dict[str, float] = {}
        for key, donors in self.by_match.items():
            ratio = difflib.SequenceMatcher(None, wanted, key).ratio()
            if ratio >= self.CLOSE:
                for donor_id in donors:
                    scores[donor_id] = max(ratio, scores.get(donor_id, 0.0))
        best = max(scores.values(), default=0.0)
        near = [d for d in scores if scores[d] > best - self.MARGIN]
        return sorted(near, key=lambda d: (-scores[d], d))

    def hint(self, name: str) -> str:
        """What a message about the unknown `name` suggests: the one donor it is close to,
        with the alias line that would make the match certain; nothing when no donor or
        more than one is close (a guess between two is no suggestion)."""
        close = self.close_donors(name)
        if len(close) > 1:
            return f"; it is close to more than one donor ({', '.join(close)}): none is suggested"
        if not close:
            return ""
        donor_id = close[0]
        line = f"aliases: [{json.dumps(name, ensure_ascii=False)}]"
        return (
            f"; did you mean '{donor_id}' ({self.names[donor_id]})? To make it certain, add "
            f"{line} to donor '{donor_id}'"
        )

    def add(self, name: str, plan: ImportPlan) -> str:
        """A new donor with the name as given (composed, spaces collapsed), kind `unspecified`.

        Its id is made from the name, and is not another donor's: `ab.c` and `ab-c`
        both make `ab-c`, so the second is `ab-c-2`. A row names a new donor by its
        name only, never by the id made for it, so two names are never merged
        because their ids would meet (issue 27, class 9).
        """
        written = " ".join(unicodedata.normalize("NFC", name).split())
        base = id_from_name(written)
        donor_id, n = base, 1
        while name_key(donor_id) in self.by_key or donor_id in self.made:
            n += 1
            donor_id = f"{base}-{n}"
        self.made.add(donor_id)
        self.by_key[name_key(name)] = donor_id
        plan.donors.append({"id": donor_id, "name": written, "kind": "unspecified"})
        return donor_id


def id_from_name(name: str) -> str:
    """A readable ASCII id for a name: `Suède` → `suede`, `日本政府` → `ri-ben-zheng-fu`.

    anyascii transliterates every script. A character that is a syllable of its
    own (a Chinese character, a Hangul block: uncased, transliterated as a
    capitalized syllable, `Ri`) becomes a word of its own, so syllables stay
    apart (`ri-ben`, not `riben`). What is left of anything else is a hyphen.
    """
    from anyascii import anyascii

    words = []
    for character in unicodedata.normalize("NFKC", name):
        ascii_text = anyascii(character)
        syllable = (
            not character.isascii()
            and character.upper() == character.lower()
            and ascii_text[:1].isupper()
            and any(c.islower() for c in ascii_text)
        )
        words.append(f" {ascii_text} " if syllable else ascii_text)
    return re.sub(r"[^a-z0-9]+", "-", "".join(words).lower()).strip("-") or "donor"
