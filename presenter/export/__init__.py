"""Preparing for court and reading back after it: the pre-trial bundle, the 证据目录, the
readable record and CASE/UCO provenance. Nothing here runs while a deck is presented."""
