"""What one customer message asks of the quote draft, in Italian or in English.

`catalog_matching` finds the items a message names; this decides what the message does with
each of them, from the words around it:
- removal words bind to the items they stand before ("togli il raid e il backup", "senza
  firewall", "remove the RAID", "I don't want the backup") or after ("il raid non lo
  voglio", "the RAID isn't needed", "take the IPs out"), and so does what is replaced
  ("backup 100 al posto del 500", "instead of the 500 GB backup");
- a count sets how many when the customer says so ("una sola", "in totale 3 ip", "gli ip
  sono 3", "ne metto 3" of the add-on last talked about, "just one", "the IPs are 3"), or
  restates one already chosen; words of more ("un altro", "aggiungi", "another one", "one
  more") add; a figure with a unit is a size, never a count;
- a correction ("anzi", "invece", "actually") replaces the add-on of the same family;
- two services named in one message ("non so se è entry o pro") are a question to ask back,
  unless one is denied ("non è entry, è pro", "not entry, it's pro").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from .catalog import Catalog
from .catalog_matching import Mention, find_mentions, tokenize
from .draft import Draft, ItemEdit, Op
from .figures import SET_VERBS, bare_figures, by_price, count_after, lone_count, ram_totals
from .italian_dates import ExpiryError, ExpiryNotFoundError, parse_expiry
from .selection import is_correction, is_correction_word

_REMOVE_BEFORE = {
    "togli", "togliere", "toglimi", "toglilo", "togliamo", "rimuovi", "rimuovere", "elimina",
    "eliminare", "leva", "levare", "levami", "senza", "cancella", "cancellare", "escludi",
    "remove", "removing", "delete", "drop", "without", "cancel", "exclude", "scrap", "skip",
    "forget", "off", "away", "minus",
}  # fmt: skip
_NONE_BEFORE = {"niente", "nessun", "nessuno", "nessuna", "no"}
# "anzi no, meglio 64 GB", "ah no, un SSD solo": a "no" next to a correction word or one of
# these takes back what was just said; it does not refuse the item after it.
_INTERJECTIONS = {"ah", "oh", "eh", "ops", "cioe", "aspetta", "wait"}
# What is replaced: "al posto del 500", "invece di quello da 16", "anziché il backup",
# "instead of the 500", "rather than", "replace the 480 SSD (with the 960)"
_REPLACED = re.compile(
    r"\b(?:al posto|invece d\w*|anziche|piuttosto che|instead of|rather than|in place of)\b"
    r"|\breplac\w*\b(?!.*\bwith\b)"
)
_NOT_WANTED_AFTER = {
    "voglio", "serve", "servono", "interessa", "interessano", "metto", "prendo",
    "want", "wanted", "need", "needed", "necessary", "required",
}  # fmt: skip
_NOT_AFTER = {"non", "not", "isn", "aren", "don", "doesn", "dont"}
# "I don't want the backup", "we no longer need the RAID": a removal of what follows
_WANT = {"want", "need", "like"}
_NEGATION = {"don", "dont", "doesn", "not", "longer", "won", "didn"}
# "take the IPs out", "leave the RAID out of it"
_OUT_VERBS = {"take", "leave", "keep", "get"}
# Words that end what a removal word reaches: "togli il raid e aggiungi 2 ip".
_POSITIVE = {
    "aggiungi", "aggiungere", "aggiungimi", "metti", "mettere", "mettimi", "voglio", "vorrei",
    "con", "ma", "pero", "poi", "invece", "anzi", "piu", "e",
    "add", "adding", "put", "want", "would", "like", "with", "but", "then", "plus", "instead",
    "actually", "keep", "and",
}  # fmt: skip
_AND = {"e", "and"}  # goes on with the list ("togli raid e backup") unless a verb follows it
_MORE = {
    "altro", "altri", "altra", "altre", "aggiungi", "aggiungere", "ancora", "ulteriore",
    "another", "more", "additional", "add", "further",
}  # fmt: skip
# "an extra IP" adds one; Italian "ampere extra" after the item asks of them, it adds nothing
_MORE_BEFORE = {"extra"}
# "another one", "one more": a count alone that adds to the add-on last talked about
_ONE_MORE = {"another", "more", "additional"}
_EXACTLY = {
    "sola", "solo", "soltanto", "totale", "tutto", "bastano", "basta",
    "only", "just", "total", "altogether", "enough", "single",
}  # fmt: skip
# "me li rimostri?", "fammi vedere le opzioni": the options, again, as buttons
_SHOW = {
    "mostra", "mostri", "rimostri", "rimostra", "mostrami", "elenca", "elencami", "lista",
    "vedere", "rivedere", "opzioni",
    "show", "list", "options", "choices",
}  # fmt: skip
_SHOW_ASKED = re.compile(
    r"\bwhat (?:else )?(?:can|could) (?:i|we) (?:add|choose|pick|get|have)\b"
    r"|\bwhat (?:are|were) (?:the|my) (?:options|choices)\b"
)
# "e se lo avessi fatto a 2 settimane?", "se mancassero 10 giorni": an "if" with the
# imperfect subjunctive imagines a date, it does not give the service's expiry.
_HYPOTHETICAL = re.compile(
    r"\bse(?:\s+[^\s.?!]+){0,3}?\s+(?!(?:stess|interess|class|tass|list|vist|fiss|pass|spess)\w*\b)"
    r"(?:foss\w*|[a-z]+(?:assi|asse|assimo|aste|assero|essi|esse|essimo|este|essero|issi|isse|"
    r"issimo|iste|issero))\b"
    # "what if there were only 10 days left?", "if it had expired a week ago"
    r"|\bif\s+(?:it|there|the\s+\w+|i|we)\s+(?:were|had|would|did)\b|\blet['’]?s\s+say\b"
    r"|\bsuppos\w*\b|\bhypothetical\w*\b|\bimagine\b"
)
_RESTART = re.compile(
    r"\bricomin\w*|\bda\s+(?:capo|zero)\b|\bdaccapo\b"
    r"|\bstart\w*\s+(?:over|again|afresh)\b|\bfrom\s+scratch\b|\brestart\w*|\bbegin\s+again\b"
)
@dataclass(frozen=True)
class Reading:
    edits: tuple[ItemEdit, ...] = ()
    service: str | None = None
    # Services named without telling which ("housing", "entry o pro"): ask among them.
    service_choices: tuple[str, ...] = ()
    expiry: date | None = None
    expiry_error: ExpiryError | None = None
    # Add-ons named with a count that cannot be quoted ("-3 ip", "10000 ip"): id and count.
    refused: tuple[tuple[str, Decimal], ...] = ()
    restart: bool = False
    show_options: bool = False

    @property
    def names_anything(self) -> bool:
        return bool(
            self.edits or self.service or self.service_choices or self.expiry or self.refused
        )

    @property
    def edits_held_items_only(self) -> bool:
        """Only removals and counts: edits of what is already there, never a new choice."""
        return bool(self.edits) and all(edit.op is not Op.ADD for edit in self.edits)


def _clause_starts(text: str) -> set[int]:
    """The token positions where a new clause starts ("togli il raid, prendo i dischi")."""
    starts: set[int] = set()
    count = 0
    for clause in re.split(r"[,.;:!?]+", text):
        starts.add(count)
        count += len(tokenize(clause))
    return starts


def _removal_scope(tokens: Sequence[str], clause_starts: set[int]) -> set[int]:
    """The token positions a removal word reaches, within its clause."""
    reached: set[int] = set()
    for position, token in enumerate(tokens):
        negated_want = token in _WANT and bool(
            _NEGATION & set(tokens[max(0, position - 2) : position])
        )
        taken_out = token == "out" and position > 0 and tokens[position - 1] in _OUT_VERBS
        if token in _REMOVE_BEFORE or negated_want or taken_out:
            following = position + 1
            while following < len(tokens) and following not in clause_starts and not (
                tokens[following] in _POSITIVE and tokens[following] not in _AND
            ):
                # "e" goes on with the list ("togli raid e backup") unless a verb follows it
                if tokens[following] in _AND and following + 1 < len(tokens) and tokens[
                    following + 1
                ] in _POSITIVE:
                    break
                reached.add(following)
                following += 1
        elif token in _NONE_BEFORE and not _takes_back(tokens, position):
            reached.update(range(position + 1, min(position + 4, len(tokens))))
    return reached


def _takes_back(tokens: Sequence[str], position: int) -> bool:
    beside = [*tokens[max(0, position - 1) : position], *tokens[position + 1 : position + 2]]
    return tokens[position] == "no" and any(
        word in _INTERJECTIONS or is_correction_word(word) for word in beside
    )


def _op_of(mention: Mention, tokens: Sequence[str], removal: set[int]) -> Op | None:
    """REMOVE when the words around take it away; None when nothing says more than its name."""
    if mention.start in removal:
        return Op.REMOVE
    before = tokens[max(0, mention.start - 4) : mention.start]
    if _REPLACED.search(" ".join(before)):
        return Op.REMOVE
    after = tokens[mention.end + 1 : mention.end + 5]
    if _NOT_AFTER & set(after) and any(word in _NOT_WANTED_AFTER for word in after):
        return Op.REMOVE
    if after[:1] == ["no"]:
        return Op.REMOVE
    if after[:1] == ["out"] and _OUT_VERBS & set(before[-3:]):
        return Op.REMOVE
    return None


def _a_move(tokens: Sequence[str], mentions: Sequence[Mention]) -> bool:
    """ "da X a Y", "from X to Y": the first service named after "da", the next after "a"."""
    first, second = sorted(mentions, key=lambda m: m.start)[:2]
    before = set(tokens[max(0, first.start - 2) : first.start])
    between = set(tokens[max(first.start, second.start - 2) : second.start])
    return bool(before & {"da", "dal", "dall", "from"}) and bool(
        between & {"a", "al", "all", "verso", "to"}
    )


def _services(catalog: Catalog, text: str) -> tuple[str | None, tuple[str, ...]]:
    tokens = tokenize(text)
    mentions = find_mentions(list(catalog.services.values()), text)
    denied = {"non", "no", "not", "isn"}
    kept = [m for m in mentions if not denied & set(tokens[max(0, m.start - 3) : m.start])]
    kept = kept or mentions
    resolved = list(dict.fromkeys(m.resolved for m in kept if m.resolved))
    if len(resolved) == 1:
        return resolved[0], ()
    if len(resolved) > 1:
        if _a_move(tokens, kept):
            return None, ()  # "passare da entry a enterprise": a bigger machine, not a choice
        return None, tuple(resolved)
    families = [m.candidates for m in kept if not m.resolved]
    return None, families[0] if families else ()


def read_message(
    catalog: Catalog,
    text: str,
    draft: Draft,
    today: date,
    month_hint: date | None = None,
    choosing: Sequence[str] = (),
) -> Reading:
    """What `text` asks of `draft`. `month_hint` is the month of an expiry given without its
    day (a bare "28" then completes it); `choosing` the add-ons just offered to choose from
    ("un altro disco": which one?)."""
    tokens = tokenize(text)
    addons = list(catalog.addons.values())
    mentions = find_mentions(addons, text)
    used = {position for m in mentions for position in range(m.start, m.end + 1)}
    talked_about = {catalog.addon(item).family for item in draft.addons}
    talked_about |= {catalog.addon(m.candidates[0]).family for m in mentions}
    talked_about |= {catalog.addon(item).family for item in choosing}
    mentions = sorted(
        [*mentions, *bare_figures(catalog, tokens, used, talked_about)], key=lambda m: m.start
    )
    service, service_choices = _services(catalog, text)
    # "pro, vorrei passare a 64 GB di RAM": a total of the service named in the same message
    mentions = ram_totals(catalog, tokens, replace(draft, service=service or draft.service),
                          mentions)
    removal = _removal_scope(tokens, _clause_starts(text))
    # "una sola, ma da 960": a "ma" naming another size of a family held replaces it too
    correction = is_correction(text) or (
        bool({"ma", "but"} & set(tokens)) and not {"anche", "pure", "also", "too"} & set(tokens)
    )
    exactly = bool(_EXACTLY & set(tokens)) or bool(SET_VERBS & set(tokens) - {"sono", "are"})
    more = bool(_MORE & set(tokens))
    held_families = {catalog.addon(item).family: item for item in draft.addons}

    expiry, error = _expiry(text, today, month_hint)
    alone = None if expiry or error else lone_count(tokens, mentions)
    edits: list[ItemEdit] = []
    refused: list[tuple[str, Decimal]] = []
    for mention in mentions:
        if mention.refused_count is not None:
            refused.append((mention.candidates[0], mention.refused_count))
            continue
        op = _op_of(mention, tokens, removal)
        if op is Op.REMOVE:
            edits.append(ItemEdit(Op.REMOVE, mention.candidates))
            continue
        after = count_after(mention, tokens)
        if after is None and not mention.counted and exactly and alone:
            after = alone  # "ne bastano 2 di ip": the count stands apart from the item
        quantity: int = after or mention.quantity
        held = any(draft.count(item) for item in mention.candidates)
        extra = _MORE_BEFORE & set(tokens[max(0, mention.start - 2) : mention.start])
        more_here = more or bool(extra)
        target = mention.resolved
        if target and target in choosing:
            # the answer to "which one?" of "un altro disco": one more of it
            edits.append(ItemEdit(Op.ADD, (target,), quantity))
            continue
        family = catalog.addon(mention.candidates[0]).family
        if target and not held and correction and family in held_families:
            # "anzi 64": the RAM chosen before becomes this one, as many as there were
            replaced = held_families[family]
            count = quantity if mention.counted else draft.count(replaced)
            edits.append(ItemEdit(Op.SET, (target,), count, replaces=(replaced,)))
        elif after or (held and mention.counted and not more_here):
            edits.append(ItemEdit(Op.SET, mention.candidates, quantity))
        elif held and not more_here:
            continue  # named again ("prendo solo i dischi"): it stays as it is
        else:
            edits.append(ItemEdit(Op.ADD, mention.candidates, quantity))

    if not mentions and alone:
        # "ne metto 3", "una sola": a count alone is about the add-on last talked about.
        focus = draft.focus or (draft.addons[-1] if draft.addons else None)
        if focus and ("ne" in tokens or exactly) and len(tokens) <= 8:
            edits.append(ItemEdit(Op.SET, (focus,), alone))
        elif focus and _ONE_MORE & set(tokens) and len(tokens) <= 8 and not choosing:
            edits.append(ItemEdit(Op.ADD, (focus,), alone))  # "another one", "2 more"

    if not mentions and choosing:
        picked = by_price(catalog, choosing, tokens)
        if picked:
            edits.append(ItemEdit(Op.ADD, (picked,)))

    edits = _merge(edits)
    return Reading(
        edits=tuple(edits),
        service=service,
        service_choices=service_choices,
        expiry=expiry,
        expiry_error=error,
        refused=tuple(refused),
        restart=bool(_RESTART.search(" ".join(tokens))),
        show_options=not edits
        and (bool(_SHOW & set(tokens)) or bool(_SHOW_ASKED.search(" ".join(tokens)))),
    )


def _merge(edits: Sequence[ItemEdit]) -> list[ItemEdit]:
    """One item named twice in a message ("in raid … controller raid") is one edit."""
    merged: list[ItemEdit] = []
    for edit in edits:
        same = next(
            (m for m in merged if m.op is edit.op and m.candidates == edit.candidates), None
        )
        if same is None:
            merged.append(edit)
        elif edit.quantity > same.quantity:
            merged[merged.index(same)] = edit
    return merged


def _expiry(
    text: str, today: date, month_hint: date | None
) -> tuple[date | None, ExpiryError | None]:
    if text.startswith("/"):
        return None, None  # a button's payload carries no date
    if _HYPOTHETICAL.search(text.lower()):
        return None, None
    bare_day = re.fullmatch(
        r"\s*(?:il\s+|(?:on\s+)?the\s+)?(\d{1,2})(?:st|nd|rd|th)?\s*[.!]?\s*", text.lower()
    )
    if bare_day and month_hint is not None:
        try:
            return month_hint.replace(day=int(bare_day.group(1))), None
        except ValueError:
            pass
    try:
        return parse_expiry(text, today), None
    except ExpiryNotFoundError:
        return None, None
    except ExpiryError as error:
        return None, error
