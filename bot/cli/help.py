"""What `entitywatch COMMAND --help` says about each command: a description and examples.

Kept together so the help reads as one manual in one voice; `apply_help` attaches
the texts to the parsers the command modules built, and a test fails when a
command has none.
"""

from __future__ import annotations

import argparse
import textwrap
from dataclasses import dataclass

WIDTH = 78


@dataclass(frozen=True, slots=True)
class CommandHelp:
    description: str
    examples: tuple[str, ...]


MAIN = CommandHelp(
    description=(
        "Watch the US export-control screening lists (Entity List, SDN and the other lists of "
        "the Consolidated Screening List), alert Slack about every change, and screen "
        "counterparty names against them.\n\n"
        "Settings come from the environment (or a .env file) and are checked at start; a bad "
        "value stops the command with one line naming it. Errors print one line, "
        "`entitywatch: error: ...`, and exit 1; a usage error exits 2."
    ),
    examples=(
        "entitywatch demo                      # the embedded demo: no Slack, no internet",
        "entitywatch lists import consolidated.csv",
        "entitywatch screen Hikvision",
        "entitywatch run                       # scheduler and Slack bot",
        "entitywatch COMMAND --help            # more about one command",
    ),
)

COMMANDS: dict[str, CommandHelp] = {
    "db": CommandHelp(
        description="Create, migrate or inspect the database schema (Alembic migrations).",
        examples=("entitywatch db upgrade", "entitywatch db current"),
    ),
    "db upgrade": CommandHelp(
        description=(
            "Create the schema or migrate it to the newest revision. Run it after installing a "
            "new version and before starting it (compose and the systemd unit do this)."
        ),
        examples=(
            "entitywatch db upgrade",
            "entitywatch db upgrade --database-url postgresql://entitywatch@db/entitywatch",
        ),
    ),
    "db current": CommandHelp(
        description="Show the schema revision of the database and whether it is up to date.",
        examples=("entitywatch db current",),
    ),
    "lists": CommandHelp(
        description=(
            "Screening list snapshots: load a Consolidated Screening List by hand, or say "
            "what each list holds and what lags."
        ),
        examples=("entitywatch lists import consolidated.csv", "entitywatch lists status"),
    ),
    "lists status": CommandHelp(
        description=(
            "One line per list: where it comes from (the CSL, Federal Register rules, the "
            "eCFR text of 15 CFR part 744), as of when, how many entries /screen answers from, "
            'the newest rule whose entries the CSL lists, and what lags ("CSL lacks 13 entries '
            'of FR Doc 2023-03929, effective 2023-02-24"). A gap counts as a lag once '
            "RECONCILE_LAG_AFTER has passed since the rule took effect. Reads the database "
            "only; exits 0."
        ),
        examples=("entitywatch lists status", "entitywatch lists status --json | jq '.lists[0]'"),
    ),
    "rules": CommandHelp(
        description=(
            "The Federal Register rules read that change what a listing means (the 2025 "
            "affiliates rule, its suspension, temporary general licenses), with their dates."
        ),
        examples=("entitywatch rules status",),
    ),
    "rules status": CommandHelp(
        description=(
            "Each rule that changes what a listing means, as dated periods (in force, "
            "suspended, in force again, expired) with the FR documents that set them, and "
            "its state today (the day in Washington, or --today). A later rule supersedes "
            "what an earlier one scheduled. Reads the database only; exits 0."
        ),
        examples=(
            "entitywatch rules status",
            "entitywatch rules status --today 2026-11-10",
            "entitywatch rules status --json | jq '.subjects[0].sentence'",
        ),
    ),
    "lists import": CommandHelp(
        description=(
            "Load a Consolidated Screening List snapshot (CSV or JSON, any vintage since 2019, "
            ".gz accepted) from a file or URL, diff it against the stored lists and record the "
            "changes, exactly as the CSL watcher does. The first import of a list is a "
            "baseline. A snapshot that would remove more than REMOVAL_GUARD_SHARE of a list is "
            "refused unless --force is given. A successful import counts as a success of the "
            "csl source (the digest and App Home show it)."
        ),
        examples=(
            "entitywatch lists import consolidated.csv",
            "entitywatch lists import https://data.trade.gov/downloadable_consolidated_"
            "screening_list/v1/consolidated.json --format json",
            "entitywatch lists import consolidated.csv.gz --json",
            "entitywatch lists import consolidated.csv --force   # accept a refused snapshot",
        ),
    ),
    "poll": CommandHelp(
        description=(
            "Run the watchers by hand and print what each source gave: its changes, or one line "
            "with the cause of its failure. Without --once it keeps polling on the sources' "
            "schedules until Ctrl-C. Exit status of --once: 0 when every source answered, 1 "
            "when one failed. Sources: csl, federal_register, public_inspection and one "
            "press:HOST per PRESS_FEEDS entry. LOG_LEVEL=DEBUG adds the tracebacks."
        ),
        examples=(
            "entitywatch poll --once",
            "entitywatch poll --once --source csl",
            "entitywatch poll --source federal_register",
        ),
    ),
    "parse": CommandHelp(
        description=(
            "Print what a parser extracts from a saved document: a CSL snapshot, a Federal "
            "Register rule's full-text XML, a documents.json or public-inspection answer, an "
            "RSS/Atom feed or a press text. Nothing is stored."
        ),
        examples=(
            "entitywatch parse consolidated.csv",
            "entitywatch parse 2023-03929.xml --json",
            "entitywatch parse feed.xml --kind press-feed",
        ),
    ),
    "screen": CommandHelp(
        description=(
            "Screen one name against every stored list: ranked candidates with a band "
            "(match / review / no match), score, list, country, FR citation and why each "
            "matched. The screening is written to the audit trail."
        ),
        examples=(
            "entitywatch screen Hikvision",
            "entitywatch screen Huawei Technologies --limit 10",
            "entitywatch screen 'AOOK Technology' --json",
        ),
    ),
    "screen-file": CommandHelp(
        description=(
            "Screen every name in a CSV file with a header row (UTF-8, UTF-16 or "
            "Windows-1252; comma, semicolon, tab or | separated: detected) and write one output "
            "row per name and candidate; a progress bar shows on a terminal, and a count by "
            "verdict at the end. Each name is written to the audit trail with origin batch. A "
            "line that cannot be read is not screened, gets a row that says why, and makes "
            "the exit status 1."
        ),
        examples=(
            "entitywatch screen-file counterparties.csv --out results.csv",
            "entitywatch screen-file suppliers.csv --column 'Company name' --limit 3",
        ),
    ),
    "sources": CommandHelp(
        description=(
            "The configured sources: ask each once and say what to do about it, or show the "
            "settings each kind of source reads."
        ),
        examples=(
            "entitywatch sources check",
            "entitywatch sources check --source press_page",
            "entitywatch sources settings",
        ),
    ),
    "sources check": CommandHelp(
        description=(
            "Ask every configured source once and print one line each: a diagnosis a person "
            "can act on (a bot-detection page, an address that moved, HTML where a feed was "
            "expected), the HTTP status, content type, items found, the newest item's date and "
            "the last success on record. Exits 1 when a source is unusable."
        ),
        examples=("entitywatch sources check", "entitywatch sources check --source csl"),
    ),
    "sources settings": CommandHelp(
        description=(
            "Show the settings of every kind of source: the variable, its value (and whether "
            "that is the default) and what it means. Each kind declares its settings in its "
            "folder under watchers/; they are read from the environment or .env like the others."
        ),
        examples=(
            "entitywatch sources settings",
            "CSL_POLL_SECONDS=600 entitywatch sources settings",
        ),
    ),
    "watchlist": CommandHelp(
        description=(
            "The company's own counterparties, re-screened whenever a list changes: import "
            "them from a CSV file, list or export them, see and decide their hits."
        ),
        examples=(
            "entitywatch watchlist import customers.csv --name-column company",
            "entitywatch watchlist hits",
        ),
    ),
    "watchlist import": CommandHelp(
        description=(
            "Import counterparties from a CSV file (UTF-8, UTF-16 or Windows-1252; comma, "
            "semicolon, tab or | separated: detected), idempotent by external id (without "
            "--id-column, by an id derived from the name, ignoring case, spacing, accents and "
            "punctuation): added, changed, retired (with --replace) and refused lines are "
            "reported, refused ones with their line number and reason, and make the exit "
            "status 1. New counterparties are screened against every list.\n\n"
            "--replace retires the active counterparties the file does not name, but never "
            "one a refused line names, and nothing when a refused line names no one or the "
            "file names nobody. Retiring more than 10 % of the watchlist needs --force (a "
            "file cut short or filtered by mistake would end their monitoring)."
        ),
        examples=(
            "entitywatch watchlist import customers.csv --name-column company "
            "--id-column customer_id --country-column country",
            "entitywatch watchlist import suppliers.csv --name-column name --replace",
            "entitywatch watchlist import crm-export.csv --name-column name --id-column id "
            "--replace --force",
        ),
    ),
    "watchlist list": CommandHelp(
        description=(
            "Show the active counterparties (control characters in a name, an ANSI escape "
            "say, are shown as \\x1b-style escapes, never sent to the terminal)."
        ),
        examples=("entitywatch watchlist list", "entitywatch watchlist list --limit 500"),
    ),
    "watchlist export": CommandHelp(
        description=(
            "Write the active counterparties as CSV (cells a spreadsheet would run as formulas "
            "get a leading '). An existing file is kept unless --force."
        ),
        examples=(
            "entitywatch watchlist export --out watchlist.csv",
            "entitywatch watchlist export --out watchlist.csv --force",
        ),
    ),
    "ownership": CommandHelp(
        description=(
            "Who owns the counterparties, as the team's due diligence found it: holdings "
            "imported from CSV (one row per owner and owned party; chains through holding "
            "companies), listed and exported. Under the affiliates rule (FR Doc 2025-19001) a "
            "party owned 50 % or more by listed parties is covered; `screen`, monitoring and "
            "`watchlist affiliates` do the arithmetic."
        ),
        examples=(
            "entitywatch ownership import owners.csv --owned-column customer_id "
            "--owner-column owner --percent-column percent",
            "entitywatch ownership list",
            "entitywatch ownership export --out holdings.csv",
        ),
    ),
    "ownership import": CommandHelp(
        description=(
            "Add or update holdings from a CSV file: the owned party is a counterparty's id "
            "(or a holding company's name, so that chains can be given), the owner a name, the "
            "share 0-100. Encoding and delimiter are detected; each bad row is refused with its "
            "line and the command exits 1; a party whose shares add up to over 100 % is warned "
            "about and kept. Importing the same file again changes nothing; --replace removes "
            "the holdings the file no longer gives (none when a line was refused)."
        ),
        examples=(
            "entitywatch ownership import owners.csv --owned-column customer_id "
            "--owner-column owner --percent-column percent",
            "entitywatch ownership import kyc.csv --owned-column owned --owner-column owner "
            "--percent-column pct --as-of-column as_of --source-column source --replace",
        ),
    ),
    "ownership list": CommandHelp(
        description="The recorded holdings: owned party, owner, share, as-of date and source.",
        examples=("entitywatch ownership list", "entitywatch ownership list --limit 500"),
    ),
    "ownership export": CommandHelp(
        description=(
            "Write every recorded holding as CSV (the columns `ownership import` reads back); "
            "an existing file is kept unless --force."
        ),
        examples=(
            "entitywatch ownership export --out holdings.csv",
            "entitywatch ownership export --out - | head",
        ),
    ),
    "watchlist affiliates": CommandHelp(
        description=(
            "Write every counterparty covered or possibly covered by the affiliates rule as "
            "CSV: its listed share (a review owner counted apart as possible), its listed "
            "owners with their direct and indirect shares, and the terms of the most "
            "restrictive one."
        ),
        examples=("entitywatch watchlist affiliates --out affiliates.csv",),
    ),
    "watchlist hits": CommandHelp(
        description=(
            "The counterparty hits nobody has decided on yet (as /watch hits in Slack), newest "
            "first, with their hit number, band, score, list and why; --confirmed lists the "
            "confirmed matches that wait to be resolved instead."
        ),
        examples=(
            "entitywatch watchlist hits",
            "entitywatch watchlist hits --confirmed",
            "entitywatch watchlist hits --json --limit 500",
        ),
    ),
    "watchlist resolve": CommandHelp(
        description=(
            "Record a decision about a hit, as the Slack buttons do: confirm (Confirm match), "
            "not-same-party (Not the same party…: a reason, and how many days the clearance "
            "holds, 180 unless --days) or resolved (as /watch resolve: ends a confirmed match, "
            "with a reason). Decisions are appended to the history with the operating-system "
            "user as cli:<user>."
        ),
        examples=(
            "entitywatch watchlist resolve 12 confirm",
            "entitywatch watchlist resolve 12 not-same-party --reason 'different city' --days 90",
            "entitywatch watchlist resolve 12 resolved --reason 'account closed'",
        ),
    ),
    "audit": CommandHelp(
        description="The screening audit trail: who screened what, when, against which lists.",
        examples=("entitywatch audit export --since 2026-01-01 --out audit.csv",),
    ),
    "audit export": CommandHelp(
        description=(
            "Write every screening (Slack, CLI and batch) as one CSV row: time, origin, user, "
            "channel, query, top band, the verdict the person was told (cannot clear when the "
            "lists were not fresh), the list version and the results. Cells that look like "
            "spreadsheet formulas are neutralised. An existing file is refused without --force."
        ),
        examples=(
            "entitywatch audit export --out audit.csv",
            "entitywatch audit export --since 2026-01-01 --out -   # to standard output",
        ),
    ),
    "alerts": CommandHelp(
        description="The alert outbox: what was planned, sent, or gave up, and retrying it.",
        examples=("entitywatch alerts list --failed", "entitywatch alerts retry"),
    ),
    "alerts list": CommandHelp(
        description="Show the newest alerts in the outbox with their state and, if failed, why.",
        examples=("entitywatch alerts list", "entitywatch alerts list --failed --limit 20"),
    ),
    "alerts send": CommandHelp(
        description=(
            "Plan alerts for new changes and send what is due to Slack once, then exit "
            "(`entitywatch run` does this continuously). Needs SLACK_BOT_TOKEN. Exits 1 when "
            "an alert failed."
        ),
        examples=("SLACK_BOT_TOKEN=xoxb-... ALERT_CHANNEL=C0123456789 entitywatch alerts send",),
    ),
    "alerts retry": CommandHelp(
        description=(
            "Put failed alerts back in the queue once their cause is fixed (the bot invited to "
            "the channel, a new token); `entitywatch run` or `alerts send` sends them."
        ),
        examples=("entitywatch alerts retry",),
    ),
    "digest": CommandHelp(
        description=(
            "The weekly digest on demand: list actions by list and country, new names, rules, "
            "public inspection filings, press releases and each source's health, for the last "
            "seven days or since a date. --post sends it to DIGEST_CHANNEL (else "
            "ALERT_CHANNEL) with its chart."
        ),
        examples=(
            "entitywatch digest",
            "entitywatch digest --since 2026-01-05",
            "entitywatch digest --post",
        ),
    ),
    "run": CommandHelp(
        description=(
            "Run the scheduler (pollers, alert sender, index refresh, weekly digest) and the "
            "Slack bot in one process. Socket Mode when SLACK_APP_TOKEN is set (a laptop, no "
            "public URL); otherwise HTTP on PORT with /slack/events and /healthz. Tokens, "
            "channels, the port and the database are checked before anything starts."
        ),
        examples=(
            "SLACK_BOT_TOKEN=xoxb-... SLACK_APP_TOKEN=xapp-... ALERT_CHANNEL=C0123456789 "
            "entitywatch run",
            "PORT=8080 entitywatch run --host 127.0.0.1   # HTTP mode behind a proxy",
        ),
    ),
    "demo": CommandHelp(
        description=(
            "The embedded demo: a throw-away SQLite database, the bundled 2022 CSL snapshot and "
            "recorded Federal Register and press documents served locally; the real watchers, "
            "planner and sender show one Entity List action from filing to CSL release, then "
            "the weekly digest and a /screen prompt. No Slack account, no internet. Colour on "
            "a terminal (none when piped or NO_COLOR is set). The database is deleted at the "
            "end unless --data-dir is given."
        ),
        examples=(
            "entitywatch demo",
            "entitywatch demo --no-input > transcript.txt",
            "entitywatch demo --data-dir ./demo-data   # keep the database",
        ),
    ),
}


def epilog(examples: tuple[str, ...]) -> str:
    return "examples:\n" + "\n".join(f"  {line}" for line in examples)


def describe(parser: argparse.ArgumentParser, text: CommandHelp) -> None:
    # Raw formatting keeps the examples' layout, so the paragraphs are wrapped here.
    paragraphs = text.description.split("\n\n")
    parser.description = "\n\n".join(textwrap.fill(p, WIDTH) for p in paragraphs)
    # A command that writes its own epilog (screen: its exit statuses) keeps it.
    if not parser.epilog:
        parser.epilog = epilog(text.examples)
    parser.formatter_class = argparse.RawDescriptionHelpFormatter


def subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    """Every command below `parser`, by its path ("lists import")."""
    found: dict[str, argparse.ArgumentParser] = {}
    for action in parser._actions:
        if not isinstance(action, argparse._SubParsersAction):
            continue
        for name, child in action.choices.items():
            found[name] = child
            found |= {f"{name} {sub}": p for sub, p in subcommands(child).items()}
    return found


def apply_help(parser: argparse.ArgumentParser) -> None:
    describe(parser, MAIN)
    for path, child in subcommands(parser).items():
        if path in COMMANDS:
            describe(child, COMMANDS[path])
