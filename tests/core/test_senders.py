"""The demo's SMS sender writes each message once, at INFO; the number is whole only under `taybac demo`."""

from __future__ import annotations

import logging

from taybac.core.senders import LogSmsSender, phone_for_log


def test_log_sender_masks_the_number_outside_the_demo(settings, caplog):
    settings.TAYBAC_DEMO = False
    with caplog.at_level(logging.INFO, logger="taybac"):
        LogSmsSender().send(phone="+84912345001", text="123456 la ma dang nhap")
    [record] = caplog.records
    assert record.levelno == logging.INFO
    assert record.getMessage() == "SMS tới +84 91* *** 001: 123456 la ma dang nhap"


def test_the_demo_shows_the_whole_number(settings):
    settings.TAYBAC_DEMO = True
    assert phone_for_log("+84912345001") == "+84912345001"
    settings.TAYBAC_DEMO = False
    assert phone_for_log("+84912345001") == "+84 91* *** 001"


def test_one_handler_so_each_line_is_written_once(settings):
    """The settings give the root logger one console handler and no `taybac` logger a handler of its own:
    a line propagates to the root once (a second handler would print it twice)."""
    config = settings.LOGGING
    assert list(config["root"]["handlers"]) == ["console"]
    for name, logger in config["loggers"].items():
        if logger.get("handlers"):
            assert logger.get("propagate") is False, name
    handlers = logging.getLogger().handlers
    assert sum(isinstance(h, logging.StreamHandler) and h.name == "console" for h in handlers) <= 1
