"""Location claims in text: phrases, their hierarchy of names, and the readings each can have.

:func:`extract_claims` finds the claims and the places named in passing in a text;
:func:`parse_claim` reads one claim typed on the command line. See
:mod:`geoverify.claims.extract` for the rules.
"""

from geoverify.claims.extract import extract_claims, parse_claim

__all__ = ["extract_claims", "parse_claim"]
