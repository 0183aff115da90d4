"""Ownership of counterparties and the affiliates rule (FR Doc 2025-19001, 90 FR 47201):
holdings from the company's due diligence, the arithmetic of listed shares, where the
result shows (screen answers, exports, counts) and the alerts when it crosses 50 %."""
