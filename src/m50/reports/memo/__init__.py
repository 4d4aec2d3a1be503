"""The council memo *Informatie van de burgemeester*, written from the data (issue 13):
the facts of a municipality's membership (``facts``), the memo's text (``content``), and that
text as DOCX, as PDF, or filled into the municipality's own house template."""
