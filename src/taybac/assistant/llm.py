"""The optional LLM engine: an OpenAI-compatible `/v1/chat/completions` endpoint rewords the offline engine's reply,
and nothing else. Off unless TAYBAC_ASSISTANT_LLM_URL is set.

The prompt's only facts are the records the offline engine retrieved (its reply, each product's name, path and
variants with price and stock). The model's text is checked before it is sent: every number in it must be a
number of the records, every product the hub sells that it names must be one of the records' products, and
every product path of the offline reply must still be there. A text that fails, an HTTP status other than 200,
an answer that is not the documented JSON, a network error or a call slower than the timeout: the offline reply
is sent as it was. The call runs after the message's transaction, so a slow endpoint never holds a database lock.

Environment: TAYBAC_ASSISTANT_LLM_URL (the endpoint's base, e.g. `http://127.0.0.1:8080/v1`, or the full
`…/chat/completions`), TAYBAC_ASSISTANT_LLM_MODEL, TAYBAC_ASSISTANT_LLM_API_KEY (sent as a Bearer token, optional
for a self-hosted server), TAYBAC_ASSISTANT_LLM_TIMEOUT (seconds, default 4).
"""

from __future__ import annotations

import http.client
import json
import logging
import os
import re
import urllib.error
import urllib.request
from dataclasses import dataclass

from taybac.assistant.replies import Reply
from taybac.catalog.models import Product
from taybac.core.chat_text import find_phones
from taybac.core.money import format_vnd
from taybac.core.text import fold_words

logger = logging.getLogger("taybac.assistant.llm")

DEFAULT_TIMEOUT = 4.0
MAX_ANSWER = 2000  # characters kept from the model's text; a chat bubble, not an essay
MAX_RESPONSE_BYTES = 64 * 1024
KNOWN_PRODUCTS = 5000  # names of active products read to catch one the records do not hold
# Only replies about products and greetings are reworded: the others may carry a buyer's name, phone or address
# (delivery details, orders), which are not sent to a third party's model.
REWORDED_INTENTS = frozenset({"greeting", "product_question", "search"})
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_PATH = re.compile(r"/san-pham/[\w-]+/")
SYSTEM_PROMPT = (
    "Bạn là trợ lý bán hàng của Tây Bắc Hub. Viết lại câu trả lời gốc cho tự nhiên, thân thiện, ngắn gọn, bằng "
    "tiếng Việt. Chỉ dùng các dữ kiện trong phần DỮ KIỆN: không thêm giá, số lượng, ngày, sản phẩm hay chứng nhận "
    "nào khác, không làm tròn hay đổi cách viết số (giữ '350.000 ₫'), giữ nguyên mọi đường dẫn /san-pham/…/. "
    "Nếu câu trả lời gốc nói chưa biết hoặc chuyển cho nhân viên, giữ ý đó."
)


@dataclass(frozen=True)
class LlmConfig:
    url: str
    model: str
    api_key: str = ""
    timeout: float = DEFAULT_TIMEOUT


def config_from_env() -> LlmConfig | None:
    """The endpoint configured by environment, or None (the default: offline only)."""
    url = os.environ.get("TAYBAC_ASSISTANT_LLM_URL", "").strip()
    if not url:
        return None
    if not url.rstrip("/").endswith("/chat/completions"):
        url = url.rstrip("/") + "/chat/completions"
    try:
        timeout = float(os.environ.get("TAYBAC_ASSISTANT_LLM_TIMEOUT", DEFAULT_TIMEOUT))
    except ValueError:
        timeout = DEFAULT_TIMEOUT
    return LlmConfig(
        url=url,
        model=os.environ.get("TAYBAC_ASSISTANT_LLM_MODEL", "").strip(),
        api_key=os.environ.get("TAYBAC_ASSISTANT_LLM_API_KEY", "").strip(),
        timeout=min(max(timeout, 0.1), 30.0),
    )


def records(reply: Reply) -> str:
    """The facts the prompt may use: the offline reply and each named product's variants, as recorded."""
    lines = [reply.text, ""]
    for product in reply.products:
        lines.append(f"- {product.name} ({product.get_absolute_url()})")
        for variant in product.variants.filter(is_active=True).order_by("pk")[:4]:
            lines.append(f"  • {variant.name}: {format_vnd(variant.price)}, còn {variant.available} {variant.unit}")
    return "\n".join(lines)


def _numbers(text: str) -> set[str]:
    """Numbers as digits only ("350.000" and "350000" are one number; "1,5" is "15", strict on purpose)."""
    return {re.sub(r"\D", "", n).lstrip("0") or "0" for n in _NUMBER.findall(text)}


def _names_other_products(text: str, allowed: set[int]) -> bool:
    """Whether the text names an active product of the hub that is not among the records."""
    folded = f" {' '.join(fold_words(text))} "
    names = Product.objects.filter(is_active=True).exclude(pk__in=allowed).values_list("name", flat=True)
    for name in names[:KNOWN_PRODUCTS]:
        words = fold_words(name)
        if len(words) >= 2 and f" {' '.join(words)} " in folded:
            return True
    return False


def checked(text: str, *, reply: Reply, facts: str) -> bool:
    """Every number of `text` is one of the records', it names no product outside them, and it keeps every
    product path of the offline reply."""
    if not text.strip() or len(text) > MAX_ANSWER:
        return False
    if not _numbers(text) <= _numbers(facts):
        return False
    if not set(_PATH.findall(reply.text)) <= set(_PATH.findall(text)):
        return False
    return not _names_other_products(text, {p.pk for p in reply.products})


def _call(config: LlmConfig, *, question: str, facts: str) -> str:
    body = {
        "model": config.model,
        "temperature": 0.2,
        "messages": [
            {"role": "system", "content": SYSTEM_PROMPT},
            {"role": "user", "content": f"DỮ KIỆN:\n{facts}\n\nKHÁCH HỎI: {question}\n\nVIẾT LẠI CÂU TRẢ LỜI GỐC."},
        ],
    }
    headers = {"Content-Type": "application/json"}
    if config.api_key:
        headers["Authorization"] = f"Bearer {config.api_key}"
    request = urllib.request.Request(config.url, data=json.dumps(body).encode(), headers=headers, method="POST")
    with urllib.request.urlopen(request, timeout=config.timeout) as response:
        if response.status != 200:
            raise ValueError(f"HTTP {response.status}")
        answer = json.loads(response.read(MAX_RESPONSE_BYTES))
    content = answer["choices"][0]["message"]["content"]
    if not isinstance(content, str):
        raise ValueError("content is not text")
    return content.strip()


def reword(*, reply: Reply, question: str, config: LlmConfig | None = None) -> str:
    """The reply's text worded by the model when it passes the checks, else the offline text unchanged. Only
    greetings, product questions and searches are reworded (REWORDED_INTENTS), never a hand-over; phone numbers in
    the question are masked before it leaves. Timeouts and connection errors are OSErrors."""
    config = config or config_from_env()
    if config is None or reply.order is not None or reply.handover or reply.intent not in REWORDED_INTENTS:
        return reply.text
    for phone in reversed(find_phones(question)):  # a phone typed with a product question stays here
        question = f"{question[: phone.start]}…{question[phone.end :]}"
    facts = records(reply)
    try:
        text = _call(config, question=question, facts=facts)
    except (OSError, ValueError, KeyError, IndexError, TypeError, http.client.HTTPException) as error:
        logger.warning("LLM wording skipped: %s", error.__class__.__name__)
        return reply.text
    if not checked(text, reply=reply, facts=facts):
        logger.info("LLM wording discarded: a fact not in the records")
        return reply.text
    return text
