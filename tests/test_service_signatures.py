"""Public service functions are typed and keyword-only (DESIGN.md: services.py holds typed, keyword-only writes).

Keyword-only calls keep call sites readable (`advance(shop_order=…, to=…, actor=…)`) and let a service gain
a parameter without silently shifting its callers' arguments. A public function added to one of these modules
with a positional parameter, or without annotations, fails here.
"""

from __future__ import annotations

import importlib
import inspect

import pytest

# The modules whose public functions are the business actions pages, the API, the CLI and jobs call.
# orders.checkout (place_order) is not listed yet: its helpers validate_lines and unused_codes take
# positional arguments.
SERVICE_MODULES = [
    "taybac.accounts.addresses",
    "taybac.accounts.identity_services",
    "taybac.accounts.services",
    "taybac.assistant.channels",
    "taybac.assistant.channels.inbound",
    "taybac.assistant.inbox",
    "taybac.assistant.services",
    "taybac.catalog.brand",
    "taybac.compliance.consent",
    "taybac.compliance.retention",
    "taybac.compliance.services",
    "taybac.catalog.certificates",
    "taybac.catalog.services",
    "taybac.campaigns.live_chat",
    "taybac.campaigns.live_embed",
    "taybac.campaigns.live_orders",
    "taybac.campaigns.live_rtmp",
    "taybac.campaigns.live_services",
    "taybac.campaigns.fair_services",
    "taybac.campaigns.share_services",
    "taybac.campaigns.window_harvest",
    "taybac.campaigns.window_services",
    "taybac.catalog.stats",
    "taybac.fulfilment.buyer",
    "taybac.fulfilment.pickup",
    "taybac.fulfilment.services",
    "taybac.fulfilment.tracking",
    "taybac.insights.forecasting.engine",
    "taybac.fulfilment.shipments",
    "taybac.insights.advice",
    "taybac.insights.dashboard",
    "taybac.insights.indicators",
    "taybac.insights.forecast_store",
    "taybac.insights.forecast_selectors",
    "taybac.insights.uploads",
    "taybac.logistics.consolidation",
    "taybac.logistics.pickup_runs",
    "taybac.logistics.consolidation_store",
    "taybac.logistics.routing",
    "taybac.logistics.senders",
    "taybac.logistics.tracking",
    "taybac.logistics.shipments",
    "taybac.orders.checkout",
    "taybac.orders.destinations",
    "taybac.orders.lifecycle",
    "taybac.orders.lookup",
    "taybac.orders.quote",
    "taybac.orders.returns",
    "taybac.orders.services",
    "taybac.orders.shipping",
    "taybac.orders.vouchers",
    "taybac.payments.credits",
    "taybac.payments.payouts",
    "taybac.payments.reconciliation",
    "taybac.payments.withholding",
    "taybac.compliance.declaration",
    "taybac.compliance.statements",
    "taybac.regions.services",
    "taybac.reviews.services",
    "taybac.search.services",
    "taybac.search.visits",
    "taybac.traceability.services",
    "taybac.traceability.order_steps",
    "taybac.traceability.declare",
]


def public_functions(module_name: str) -> list[tuple[str, inspect.Signature]]:
    """(name, signature) of every public function defined in the module (imported ones belong elsewhere)."""
    module = importlib.import_module(module_name)
    return [
        (name, inspect.signature(value))
        for name, value in vars(module).items()
        if not name.startswith("_") and inspect.isfunction(value) and value.__module__ == module_name
    ]


def signature_problems(signature: inspect.Signature) -> list[str]:
    problems = [
        f"{p.name} is {p.kind.description}" for p in signature.parameters.values() if p.kind is not p.KEYWORD_ONLY
    ]
    problems += [f"{p.name} has no annotation" for p in signature.parameters.values() if p.annotation is p.empty]
    if signature.return_annotation is signature.empty:
        problems.append("the return has no annotation")
    return problems


@pytest.mark.parametrize("module_name", SERVICE_MODULES)
def test_public_services_are_typed_and_keyword_only(module_name):
    functions = public_functions(module_name)
    assert functions, f"{module_name} defines no public function: remove it from SERVICE_MODULES"
    problems = {name: found for name, signature in functions if (found := signature_problems(signature))}
    assert problems == {}, f"{module_name}: {problems}"


def test_the_check_finds_positional_and_untyped_parameters():
    def positional(shop_order, *, actor: object) -> None: ...

    def untyped(*, shop_order): ...

    def typed(*, shop_order: object, note: str = "") -> None: ...

    assert signature_problems(inspect.signature(positional)) == [
        "shop_order is positional or keyword",
        "shop_order has no annotation",
    ]
    assert signature_problems(inspect.signature(untyped)) == [
        "shop_order has no annotation",
        "the return has no annotation",
    ]
    assert signature_problems(inspect.signature(typed)) == []
