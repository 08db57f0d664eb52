"""What a buyer's message asks (one of nine intents) and the facts it carries (slots), without the database.

Intents come from rules where a message leaves no doubt (an order code, a bare greeting) and otherwise from the
classifier trained on the repository's examples (assistant/classifier.py). Slots are read with the chat-text
readers the live comments use (core.chat_text: folding, chat spellings, numbers in words, units, phones) and the
pre-2025 place names (regions.old_names).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

from taybac.assistant.classifier import ORDER_CODE, model
from taybac.core.chat_text import MAX_TEXT_LENGTH, expand_chat, find_phones, read_number, unit_for
from taybac.core.text import fold, fold_words
from taybac.regions.old_names import OldPlaceMatch, read_old_places

# Below this probability the classifier's choice is a guess: the reply says so and offers a person. Set on the
# `dev` rows: a tenth of the right answers there score below 0.5, none below 0.3.
CONFIDENT = 0.35

_GREETING_WORDS = {"chao", "xin", "hello", "helo", "hi", "alo", "shop", "oi", "ad", "admin", "a", "em", "anh", "chi"}
_GREETING_WORDS |= {"ban", "buoi", "sang", "trua", "chieu", "toi", "nha", "nhe", "minh", "ca"}
_GREETINGS = {"chao", "hello", "helo", "hi", "alo"}
# "ok", "dạ", "vâng ạ", "cảm ơn shop": an acknowledgement, nothing to act on.
_ACK_WORDS = {"ok", "da", "vang", "cam", "on", "a", "nha", "shop", "roi", "u", "uh", "um", "em", "minh", "nhieu"}
_ACKS = {"ok", "da", "vang", "cam"}
# Words that are never part of a product's name: questions, order words, politeness, units are dropped separately.
_NOT_PRODUCT = set(
    """
    a ad admin ah ai anh ban bao ben biet bn bo cho chi chot chua co con cua cuc da dang dat day de den di do dong
    duoc em gi gia gio gium giup hang hay hem het hoi hom hu khi khong kia la lai lam lay loai luon ma may minh
    moi mon mot mua muon nao nay ne neu nha nhe nhieu nhu nua o oi ok on phai qua ra roi sao san pham shop so sp ta
    tai the them thi tien tim toi tui va van vay ve voi xem xin u uh inbox cai nhung cac gom duoi tren k ship giao
    phi tuan sau nguon goc xuat xu ocop chung nhan vu ngay gam nang dung ngon tot nhat re chuan dep sach chat luong
    that thanh toan tra ten dien thoai dia don chao cod size kich thuoc giam khuyen mai uong an thu can goi y ba
    cung dau quan ngot bi ri ml
    """.split()
)
# Unit words that are also syllables of place names in products' names (Văn Yên, Yên Châu): a unit only after a
# number ("2 yến").
_PLACE_UNITS = {"yen"}
# Words after which the buyer names a place, not a product: "ship mật ong về Hà Nội", "em ở Bắc Kạn".
_DESTINATION = {"ve", "den", "ra", "o"}
_PAYMENT_COD = ("cod", "khi nhan hang", "tien mat", "nhan hang roi tra", "nhan hang moi tra", "tra sau")
_PAYMENT_QR = ("chuyen khoan", "vietqr", "qr", "quet ma", "so tai khoan")
_PICKUP = ("buu dien", "buu cuc", "diem nhan", "nhan tai buu", "ra buu")
_NAME = re.compile(
    r"\b(?:ten(?: cua)?(?: minh| em| toi| anh| chi)?(?: la)?|nguoi nhan(?: la)?)\s*:?\s+"
    r"([a-z]+(?: [a-z]+){0,4}?)(?=\s*$|\s*[,.;]| +sdt| +so dien| +dt| +\d| +dia chi| o )"
)
_STREET = re.compile(r"\b(?:dia chi|d/c|dc)\s*:?\s*(.+?)(?=$|[;]| sdt| so dien| ten )")
_VARIANT_WEIGHT = re.compile(r"\b(\d+(?:[.,]\d+)?)\s*(g|gr|gram|kg|ml|l|lit)\b")


@dataclass
class Slots:
    """The facts a message carries. Text values keep the buyer's spelling (diacritics included)."""

    product_words: list[str] = field(default_factory=list)  # folded words that may name a product
    variant: str = ""  # a pack size named, folded: "500 g", "1 kg"
    quantity: Decimal | None = None
    unit: str = ""
    name: str = ""
    phone: str = ""  # E.164
    street: str = ""
    province_code: int | None = None  # 2025 unit, old names mapped
    commune_code: int | None = None
    old_place: str = ""  # the old unit named, when one was ("Tỉnh Yên Bái")
    province_name: str = ""  # the 2025 province it is in now ("Tỉnh Lào Cai")
    pickup: bool = False
    payment: str = ""  # "cod" or "vietqr"
    order_code: str = ""  # TB + 8 characters, no dashes


@dataclass(frozen=True)
class Understanding:
    intent: str
    confidence: float
    slots: Slots


def _original_span(original: str, folded: str, start: int, end: int) -> str:
    """The buyer's own spelling of folded[start:end] (folding keeps NFC text's length), else the folded text."""
    return original[start:end] if len(original) == len(folded) else folded[start:end]


def _quantity(words: list[str], slots: Slots) -> set[int]:
    """Reads the quantity and unit into slots; returns the positions of the words it used."""
    for i in range(len(words)):
        number = read_number(words, i)
        if number is None:
            continue
        value, used = number
        unit = unit_for(words[i + used]) if i + used < len(words) else None
        if unit is not None and 0 < value <= 999:
            slots.quantity, slots.unit = value, unit.name
            return set(range(i, i + used + 1))
        if slots.quantity is None and i > 0 and words[i - 1] in {"lay", "dat", "mua", "chot", "them", "luong"}:
            if 0 < value <= 999 and value == value.to_integral_value():
                slots.quantity = value
    return set()


def _product_words(words: list[str], used: set[int]) -> list[str]:
    """The words that may name a product: not a question, order or filler word, not the quantity read, and none
    after a destination word ("về", "tới"): what follows is a place."""
    kept: list[str] = []
    for i, word in enumerate(words):
        if word in _DESTINATION:
            break
        unit = unit_for(word) is not None and (word not in _PLACE_UNITS or (i > 0 and words[i - 1][:1].isdigit()))
        if i not in used and word.isalpha() and len(word) > 1 and word not in _NOT_PRODUCT and not unit:
            kept.append(word)
    return kept[:6]


_UNIT_WORDS = re.compile(r"^(?:huyen|quan|thi xa|xa|phuong|thi tran)\s+")


def _in_product_name(match: OldPlaceMatch, folded: str, named: str) -> bool:
    """An old district or ward whose bare name sits in the product's words and is not written with its unit word:
    "mật ong Bạc Hà" names a product, "huyện Bắc Hà" a place."""
    if match.level == "province":
        return False
    full = fold(match.old_name.split(",")[0]).strip()
    bare = _UNIT_WORDS.sub("", full)
    return f" {bare} " in named and full not in folded


def _places(text: str, slots: Slots) -> None:
    """The old (pre-2025) place named, mapped to 2025 units; a district's name inside the product's words is the
    product's ("mật ong Bạc Hà" names no destination), so it is skipped."""
    named, folded = f" {' '.join(slots.product_words)} ", " ".join(fold_words(text))
    matches = [m for m in read_old_places(text) if not _in_product_name(m, folded, named)]
    if not matches:
        return
    best = matches[0]
    provinces = {c.province_code for c in best.candidates}
    if len(provinces) == 1:
        slots.province_code = provinces.pop()
        slots.province_name = best.candidates[0].province_name
        slots.old_place = best.old_name
    communes = [c.commune_code for c in best.candidates if c.commune_code]
    if len(communes) == 1 and len(best.candidates) == 1:
        slots.commune_code = communes[0]


def read_slots(text: str) -> Slots:
    """Every slot a message fills; the empty value for the others."""
    text = unicodedata.normalize("NFC", text[:MAX_TEXT_LENGTH])
    slots = Slots()
    phones = find_phones(text)
    if phones:
        slots.phone = phones[0].e164
    for match in reversed(phones):
        text = f"{text[: match.start]} {' ' * (match.end - match.start - 1)}{text[match.end :]}"
    code = ORDER_CODE.search(text)
    if code:
        slots.order_code = re.sub(r"[^A-Z0-9]", "", code.group(0).upper())
        text = text[: code.start()] + " " * (code.end() - code.start()) + text[code.end() :]
    folded = fold(text)
    words = expand_chat(text)
    joined = " ".join(words)
    used = _quantity(words, slots)
    weight = _VARIANT_WEIGHT.search(folded)
    if weight:
        slots.variant = (
            f"{weight.group(1).replace(',', '.')} {'g' if weight.group(2) in {'gr', 'gram'} else weight.group(2)}"
        )
    if name := _NAME.search(folded):
        slots.name = _original_span(text, folded, name.start(1), name.end(1)).strip().title()
    if street := _STREET.search(folded):
        slots.street = _original_span(text, folded, street.start(1), street.end(1)).strip(" ,.")[:200]
    slots.product_words = _product_words(words, used)
    _places(text, slots)
    slots.pickup = any(p in joined for p in _PICKUP)
    if any(p in joined.split() if " " not in p else p in joined for p in _PAYMENT_COD):
        slots.payment = "cod"
    elif any(p in joined for p in _PAYMENT_QR):
        slots.payment = "vietqr"
    return slots


def classify(text: str, slots: Slots) -> tuple[str, float]:
    """The intent: rules for the unmistakable cases, else the classifier."""
    words = expand_chat(text)
    classifier = model()
    if not classifier.knows(text):
        return "other", 0.0  # not one word the examples use: a guess would be noise
    intent, confidence = classifier.predict(text)
    if slots.order_code and intent != "complaint":
        return "order_status", 1.0
    if words and set(words) <= _GREETING_WORDS and _GREETINGS & set(words):
        return "greeting", 1.0
    if words and set(words) <= _ACK_WORDS and _ACKS & set(words):
        return "other", 1.0
    return intent, confidence


def understand(text: str) -> Understanding:
    slots = read_slots(text)
    intent, confidence = classify(text, slots)
    return Understanding(intent=intent, confidence=confidence, slots=slots)
