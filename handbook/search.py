"""Full-text search over the published strategy and handbook.

PostgreSQL's own full-text search (Norwegian stemming, ranking, highlighted passages)
where it runs; on SQLite a plain search for every word, with the same kind of result."""

import difflib
import re
from dataclasses import dataclass
from functools import lru_cache

from django.db import connection
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from core import caching

from .models import Document, shown_for

CACHE_NAME = "handbook"

# Common Norwegian words that say nothing about what a passage is about.
STOP_WORDS = set(
    [
        "og",
        "i",
        "på",
        "er",
        "det",
        "som",
        "en",
        "ein",
        "ei",
        "et",
        "eit",
        "å",
        "til",
        "av",
        "for",
        "med",
        "har",
        "de",
        "dei",
        "vi",
        "ikkje",
        "ikke",
        "ikkje",
        "kva",
        "hva",
        "kan",
        "skal",
        "den",
        "denne",
        "dette",
        "du",
        "eg",
        "jeg",
        "om",
        "seg",
        "sin",
        "sitt",
        "sine",
        "så",
        "at",
        "men",
        "eller",
        "også",
        "ogso",
        "frå",
        "fra",
        "ved",
        "når",
        "der",
        "da",
        "då",
        "han",
        "ho",
        "hun",
        "vil",
        "må",
        "mot",
        "over",
        "under",
        "etter",
        "før",
    ]
)
START, STOP = "\x02", "\x03"
MAX_QUERY = 200


@dataclass
class Hit:
    title: str
    url: str
    passage: SafeString


def words(query: str) -> list[str]:
    return [w for w in re.findall(r"\w+", query.casefold()) if w not in STOP_WORDS][:12]


def _mark(text: str) -> SafeString:
    """Escape a passage, then turn the highlight markers into <mark>."""
    return mark_safe(escape(text).replace(START, "<mark>").replace(STOP, "</mark>"))


def _organisation(organisation):
    from accounts import organisations

    return organisation or organisations.default()


def search(query: str, organisation=None) -> tuple[list[Hit], str]:
    """Hits for the query in the text `organisation` shows (its own versions where it has them;
    None: the default organisation), and a message when there is nothing to search for.

    Remembered in the shared cache until a chapter is published (handbook/apps.py)."""
    organisation = _organisation(organisation)
    query = query.strip()[:MAX_QUERY]
    terms = words(query)
    if not query:
        return [], ""
    if not terms:
        return [], str(_("Your search has only very common words. Try a more specific word."))
    return caching.remembered(CACHE_NAME, (organisation.pk, *terms), lambda: (_search(terms, organisation), ""))


def _search(terms: list[str], organisation) -> list[Hit]:
    shown = [d.pk for d in shown_for(organisation, listed=True)]
    documents = Document.objects.published().filter(pk__in=shown).order_by("kind", "position")
    if connection.vendor == "postgresql":
        return _postgres(documents, " ".join(terms))
    return _fallback(documents, terms)


def _postgres(documents, text) -> list[Hit]:
    from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector

    vector = SearchVector("published__title", weight="A", config="norwegian") + SearchVector(
        "published__search_text", weight="B", config="norwegian"
    )
    query = SearchQuery(text, config="norwegian", search_type="plain")
    found = (
        documents.annotate(
            matched=vector,
            rank=SearchRank(vector, query),
            passage=SearchHeadline(
                "published__search_text",
                query,
                config="norwegian",
                start_sel=START,
                stop_sel=STOP,
                max_words=35,
                min_words=15,
            ),
        )
        # A match, not a rank above nought: ts_rank gives a text without the words a tiny rank too.
        .filter(matched=query)
        .order_by("-rank", "position")
    )
    return [Hit(d.published.title, d.get_absolute_url(), _mark(d.passage)) for d in found]


def _fallback(documents, terms) -> list[Hit]:
    hits = []
    pattern = re.compile("|".join(re.escape(t) for t in terms), re.IGNORECASE)
    for document in documents:
        title, text = document.published.title, document.published.search_text
        haystack = f"{title}\n{text}".casefold()
        if not all(term in haystack for term in terms):
            continue
        paragraphs = [p for p in text.split("\n\n") if p.strip()] or [title]
        best = max(paragraphs, key=lambda p: sum(t in p.casefold() for t in terms))
        hits.append((sum(haystack.count(t) for t in terms), document, _passage(best, pattern)))
    hits.sort(key=lambda h: -h[0])
    return [Hit(document.published.title, document.get_absolute_url(), passage) for _score, document, passage in hits]


PASSAGE_BEFORE, PASSAGE_LENGTH = 120, 320


def _passage(paragraph: str, pattern) -> SafeString:
    """About PASSAGE_LENGTH characters of the paragraph around the first hit, cut between
    words: a passage never starts or ends in the middle of one."""
    first = pattern.search(paragraph)
    start = max(0, first.start() - PASSAGE_BEFORE) if first else 0
    if start and not paragraph[start - 1].isspace():
        # Forward to the start of the next word, but never past the hit itself.
        space = re.compile(r"\s+").search(paragraph, start, first.start() if first else len(paragraph))
        start = space.end() if space else (first.start() if first else start)
    end = start + PASSAGE_LENGTH
    if end < len(paragraph) and not paragraph[end].isspace():
        # Back to the end of the last whole word, but never into the hit itself.
        floor = first.end() if first else start
        cut = max((m.start() for m in re.finditer(r"\s", paragraph[floor:end])), default=None)
        end = floor + cut if cut is not None else end
    excerpt = paragraph[start:end].strip()
    prefix = "… " if start else ""
    suffix = " …" if end < len(paragraph.rstrip()) else ""
    return _mark(prefix + pattern.sub(lambda m: f"{START}{m.group(0)}{STOP}", excerpt) + suffix)


# Bokmål (and a few common misspellings) for the Nynorsk words the handbook uses: a search for
# "ikke" or "sosiale medier" should find "ikkje" and "sosiale media".
OTHER_SPELLINGS = {
    "ikke": "ikkje",
    "hva": "kva",
    "hvordan": "korleis",
    "hvorfor": "kvifor",
    "hvem": "kven",
    "hvis": "viss",
    "jeg": "eg",
    "fra": "frå",
    "noen": "nokon",
    "mye": "mykje",
    "medier": "media",
    "mediene": "media",
    "medium": "media",
    "enhet": "eining",
    "enheter": "einingar",
    "enheten": "eininga",
    "leder": "leiar",
    "ledere": "leiarar",
    "lederen": "leiaren",
    "rådgiver": "rådgjevar",
    "kontoer": "kontoar",
    "kontoene": "kontoane",
    "innhold": "innhald",
    "innholdet": "innhaldet",
    "sykehus": "sjukehus",
    "sykehuset": "sjukehuset",
    "pasienter": "pasientar",
    "ansatte": "tilsette",
    "ansatt": "tilsett",
    "kommentarer": "kommentarar",
    "meldinger": "meldingar",
    "bilder": "bilde",
    "målgrupper": "målgrupper",
    "taushetsplikt": "teieplikt",
    "stedfortreder": "stadfortredar",
    "redaktører": "redaktørar",
    "kurset": "kurset",
    "personvernet": "personvernet",
}
MAX_SUGGESTIONS = 3


@lru_cache(maxsize=4)
def _vocabulary(published_ids: tuple) -> frozenset:
    texts = Document.objects.filter(published_id__in=published_ids).values_list(
        "published__title", "published__search_text"
    )
    return frozenset(w for title, text in texts for w in re.findall(r"\w{3,}", f"{title} {text}".casefold()))


def vocabulary(organisation=None) -> frozenset:
    """Every word of three letters or more in what `organisation` shows (remade when anything
    it shows is published)."""
    ids = tuple(sorted(d.published_id for d in shown_for(_organisation(organisation), listed=True)))
    return _vocabulary(ids)


def suggestions(query: str, organisation=None) -> list[str]:
    """Other spellings of a search that found nothing: the Nynorsk word for a Bokmål one, or
    the handbook's own words closest to a misspelt one. Only searches that find something."""
    terms = words(query[:MAX_QUERY])
    if not terms:
        return []
    known = vocabulary(organisation)
    options = []
    for term in terms:
        choices = [term] if term in known else []
        if term in OTHER_SPELLINGS and OTHER_SPELLINGS[term] != term:
            choices.append(OTHER_SPELLINGS[term])
        choices += [w for w in difflib.get_close_matches(term, known, n=3, cutoff=0.75) if w not in choices]
        options.append(choices or [term])
    found = []
    for position in range(max(len(choices) for choices in options)):
        candidate = " ".join(choices[min(position, len(choices) - 1)] for choices in options)
        if candidate != " ".join(terms) and candidate not in found and search(candidate, organisation)[0]:
            found.append(candidate)
        if len(found) == MAX_SUGGESTIONS:
            break
    return found
