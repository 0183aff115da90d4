"""Which listed owners count toward the affiliates rule's 50 % share.

15 CFR 744.16 / 744.21 and Supplement No. 8 to part 744 (added by FR Doc 2025-19001,
90 FR 47201): owners on the Entity List, the MEU List, or the SDN List under the
programs of 15 CFR 744.8(a)(1). Section 744.8 took in the former 744.12-744.14 in
FR Doc 2024-06067 (89 FR 20107), so its (a)(1) names the proliferation and terrorism
programs below, which the CSL shows as the bracketed program tags of an SDN record.
One table, so that a change of the regulation is one edit here.
"""

from __future__ import annotations

from collections.abc import Iterable

CITATION = "15 CFR 744.8(a)(1)"
# List codes (as the CSL and `reference.lists` spell them) whose every entry counts.
WHOLE_LISTS = frozenset({"EL", "MEU"})
SDN_LIST = "SDN"
# SDN program tags under 15 CFR 744.8(a)(1) -> the sanctions program they name.
SDN_PROGRAMS_744_8 = {
    "NPWMD": "Weapons of Mass Destruction Proliferators (E.O. 13382, 31 CFR part 544)",
    "SDGT": "Specially Designated Global Terrorists (E.O. 13224, 31 CFR part 594)",
    "SDT": "Specially Designated Terrorists (E.O. 12947, 31 CFR part 595)",
    "FTO": "Foreign Terrorist Organizations (31 CFR part 597)",
}


def counts_for_rule(list_code: str, programs: Iterable[str] = ()) -> bool:
    """Whether an owner on `list_code` (with these SDN program tags) counts toward 50 %."""
    if list_code in WHOLE_LISTS:
        return True
    if list_code != SDN_LIST:
        return False
    return any(_tag(p) in SDN_PROGRAMS_744_8 for p in programs)


def _tag(program: str) -> str:
    # The CSL writes "SDGT", "[SDGT]" or "SDGT; IRGC": one tag per call here.
    return program.strip().strip("[]").strip().upper()
