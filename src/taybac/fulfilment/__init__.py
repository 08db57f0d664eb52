"""Business actions that span domains — ship, hand over, deliver, cancel a shop order — one service each.

Each action is one transaction that composes orders (the state machine), payments (cash on delivery) and
traceability (lots and the events of the log). The domains below never import this app: it sits above them.
"""
