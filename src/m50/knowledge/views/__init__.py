"""The pages of the library: browsing, an item and its file (library), and writing, submitting
and reviewing items (manage). The search page is apart (search)."""
