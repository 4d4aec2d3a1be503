"""Dutch full-text search over everything the platform holds, shown only to who may see it.

Apps put one entry per object in the index (:mod:`.index`, inside their own write's
transaction) and register a provider for ``m50 rebuild-search-index``; pages and the API ask
:func:`.query.search` with the viewer (:mod:`.access`), so an entry the viewer may not see is in
no hit, total or facet count.

How text is matched (for the README)
------------------------------------
- Case, accents and punctuation are folded away: "Beëindigd" = "beeindigd", "Súdwest-Fryslân" =
  "sudwest fryslan".
- Words are reduced to their stem with the Snowball Dutch stemmer: "gemeente" finds
  "gemeenten", "woningen" finds "woning". The same is done when indexing and when searching,
  so SQLite and PostgreSQL see the same words.
- The 101 commonest Dutch words ("de", "het", "van", "en", ...) are left out; a search of only
  such words says so instead of finding everything.
- Every word must occur (AND); ``"een zin tussen aanhalingstekens"`` finds those words in that
  order; ``woning*`` finds every word starting with "woning". In the search box as you type, the
  last word is treated as such a prefix.
- Compound words are not split. "woningbouw" is found by "woningbouw", and "woningbouw*" or
  "woning*" also find "woningbouwprojecten"; but "bouw" does not find "woningbouw", nor "zorg"
  "jeugdzorg", nor "woningbouw" "woningbouwproject" without the ``*``. Search for the whole
  word, or for its beginning with ``*``.
- A hyphenated word is searched as a phrase: "COVID-19" finds "covid 19" and "covid-19".
"""
