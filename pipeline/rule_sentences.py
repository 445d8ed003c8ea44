"""The engine's rule codes as a sentence a reviewer reads (the web pages' "rule in words")."""

from __future__ import annotations

SENTENCES = {
    "reference_amount": "The payment names the invoice and pays its balance exactly.",
    "reference_fee": "The payment names the invoice and pays its balance less a small fee.",
    "reference_partial": "The payment names the invoice and pays part of its balance.",
    "reference_overpaid": "The payment names the invoice and pays more than its balance.",
    "references_sum": "The payment names several invoices whose balances add up to it.",
    "references_ambiguous": "The payment names several invoices, but their balances do not "
                            "add up to it.",
    "reference_list": "A number listed after an invoice reference.",
    "ticket_amount": "A verified ticket names the invoice; the amount equals its balance.",
    "ticket_fee": "A verified ticket names the invoice; the amount is its balance less a fee.",
    "ticket_partial": "A verified ticket names the invoice; the amount pays part of it.",
    "ticket_overpaid": "A verified ticket names the invoice; the amount is more than due.",
    "ticket_unnamed": "A ticket's claim fits this money, but names no invoice.",
    "client_amount": "The payer is a known client; the amount equals one open invoice.",
    "client_subset_sum": "The payer is a known client; the amount equals the sum of some of "
                         "the client's open invoices.",
    "client_fee": "The payer is a known client; the amount is an open invoice less a fee.",
    "client_partial": "The payer is a known client with one open invoice; the amount pays "
                      "part of it.",
    "client": "An open invoice of the payer's client.",
    "amount_only": "Nothing names the invoice or the payer; only the amount equals its balance.",
    "manual": "A reviewer matched this money to the invoice by hand.",
}


def rule_sentence(rule: str) -> str:
    """``rule`` as a sentence; an unknown code with its underscores as spaces."""
    return SENTENCES.get(rule or "", (rule or "").replace("_", " "))
