"""The parser registry: content sniffing picks exactly one parser, or says why not."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from parsers.base import Parser, SourceFile
from pipeline.settings import ShopAccount


@dataclass(frozen=True)
class Detection:
    parser: Parser | None
    problem: str | None = None  # why no parser was chosen (quarantine reason)


def all_parsers(accounts: Sequence[ShopAccount] = (),
                default_currency: str | None = None) -> list[Parser]:
    """Every parser, configured with the shop's own accounts (currency, date order, profile
    per account) and the default currency of statements that name none."""
    from parsers.bank_csv import BankCsvParser
    from parsers.btcpay import BtcpayParser
    from parsers.camt053 import Camt053Parser
    from parsers.canonical_csv import CanonicalClientsCsvParser, CanonicalInvoicesCsvParser
    from parsers.email_claims import EmailClaimsParser
    from parsers.mt940 import Mt940Parser
    from parsers.ofx import OfxParser
    from parsers.paypal import PaypalParser
    from parsers.stripe import StripeParser
    from parsers.tickets import TicketsCsvParser, TicketsJsonlParser
    from parsers.whmcs import WhmcsClientsParser, WhmcsInvoicesParser

    return [
        OfxParser(),
        Camt053Parser(),
        Mt940Parser(),
        BankCsvParser(default_currency, accounts),
        StripeParser(),
        PaypalParser(),
        BtcpayParser(),
        WhmcsInvoicesParser(),
        WhmcsClientsParser(),
        CanonicalInvoicesCsvParser(),
        CanonicalClientsCsvParser(),
        TicketsJsonlParser(),
        TicketsCsvParser(),
        EmailClaimsParser(),
    ]


def formats() -> list[str]:
    return [parser.format for parser in all_parsers()]


def detect(source: SourceFile, forced_format: str | None = None, *,
           accounts: Sequence[ShopAccount] = (),
           default_currency: str | None = None) -> Detection:
    """The one parser for ``source``; ``forced_format`` skips sniffing.

    Two parsers claiming one file is an error naming both (a registry bug or an
    ambiguous file), reported as a problem so the file is quarantined, not guessed.
    """
    parsers = all_parsers(accounts, default_currency)
    if forced_format:
        chosen = [p for p in parsers if p.format == forced_format]
        if not chosen:
            return Detection(None, f"unknown format {forced_format!r}; known: {formats()}")
        return Detection(chosen[0])
    if not source.head.strip():
        return Detection(None, "empty file")
    claiming = [p for p in parsers if p.identify(source)]
    if len(claiming) > 1:
        names = " and ".join(p.format for p in claiming)
        return Detection(None, f"ambiguous format: claimed by {names}; use --format")
    if not claiming:
        return Detection(None, "unrecognised format (no parser identifies this content)")
    return Detection(claiming[0])
