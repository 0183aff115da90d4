"""Counterparty monitoring: the company's own customers and suppliers, screened against
every list change (reverse index), alerted once through the outbox, with decisions."""
