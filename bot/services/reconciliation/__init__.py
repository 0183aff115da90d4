"""Reconciliation: what the rules read say is in force, against what the CSL and the eCFR show."""
