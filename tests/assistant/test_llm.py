"""The optional LLM engine against a real HTTP server on localhost (OpenAI-compatible /v1/chat/completions): a
good rewording is sent, a lying one (a price or product the records do not hold) is discarded, and a slow, failing
or malformed endpoint falls back to the offline reply."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from taybac.assistant import llm
from taybac.assistant.models import Message
from taybac.assistant.services import handle_message

ANSWERS: dict[str, str] = {}  # the mode the next request is answered in -> the model's text
SEEN: list[dict] = []


class FakeModel(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        SEEN.append({"path": self.path, "auth": self.headers.get("Authorization"), "body": body})
        mode = ANSWERS["mode"]
        if mode == "slow":
            time.sleep(1.5)
        if mode == "error":
            self.send_response(503)
            self.end_headers()
            return
        payload = (
            b"not json"
            if mode == "garbage"
            else json.dumps({"choices": [{"message": {"role": "assistant", "content": ANSWERS["text"]}}]}).encode()
        )
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def endpoint(monkeypatch):
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeModel)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("TAYBAC_ASSISTANT_LLM_URL", f"http://127.0.0.1:{server.server_port}/v1")
    monkeypatch.setenv("TAYBAC_ASSISTANT_LLM_MODEL", "test-model")
    monkeypatch.setenv("TAYBAC_ASSISTANT_LLM_API_KEY", "sk-test")
    monkeypatch.setenv("TAYBAC_ASSISTANT_LLM_TIMEOUT", "0.5")
    SEEN.clear()
    yield
    server.shutdown()
    server.server_close()


def ask(text: str, conversation: str):
    return handle_message(client="198.51.100.40", conversation=conversation, text=text).reply


@pytest.mark.django_db
def test_off_by_default(catalog, monkeypatch):
    monkeypatch.delenv("TAYBAC_ASSISTANT_LLM_URL", raising=False)
    assert llm.config_from_env() is None
    assert "350.000 ₫" in ask("mật ong bạc hà giá bao nhiêu", "off").text


@pytest.mark.django_db
def test_a_good_rewording_is_sent_and_stored(catalog, endpoint):
    url = catalog.honey.get_absolute_url()
    ANSWERS.update(mode="good", text=f"Dạ, mật ong bạc hà hũ 500 g giá 350.000 ₫, chai 1 lít 650.000 ₫ ạ. Xem: {url}")
    reply = ask("mật ong bạc hà giá bao nhiêu", "good")
    assert reply.text == ANSWERS["text"]
    assert Message.objects.filter(role=Message.Role.ASSISTANT, text=ANSWERS["text"]).exists()
    sent = SEEN[-1]
    assert sent["path"] == "/v1/chat/completions" and sent["auth"] == "Bearer sk-test"
    assert sent["body"]["model"] == "test-model"
    prompt = sent["body"]["messages"][1]["content"]
    assert "350.000 ₫" in prompt and "650.000 ₫" in prompt and url in prompt  # the records are the facts


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("mode", "text"),
    [
        ("lying", "Mật ong bạc hà chỉ 300.000 ₫ thôi ạ! {url}"),  # a price the records do not hold
        ("lying", "Mật ong bạc hà 350.000 ₫, còn 99 hũ. {url}"),  # a stock figure invented
        ("lying", "Mật ong bạc hà 350.000 ₫, bạn thử thêm Chè Shan tuyết cổ thụ nhé. {url}"),  # a product not shown
        ("lying", "Mật ong bạc hà 350.000 ₫ ạ."),  # the product's link dropped
        ("slow", "Mật ong bạc hà 350.000 ₫ {url}"),
        ("error", ""),
        ("garbage", ""),
    ],
)
def test_anything_unchecked_falls_back_to_the_offline_reply(catalog, endpoint, mode, text):
    ANSWERS.update(mode="error")
    offline = ask("mật ong bạc hà giá bao nhiêu", f"off-{mode}")  # the endpoint down: the offline reply
    ANSWERS.update(mode=mode, text=text.format(url=catalog.honey.get_absolute_url()))
    started = time.monotonic()
    reply = ask("mật ong bạc hà giá bao nhiêu", f"on-{mode}-{len(text)}")
    assert reply.text == offline.text and "350.000 ₫" in reply.text and "650.000 ₫" in reply.text
    assert time.monotonic() - started < 1.4  # the 0.5 s timeout, not the server's 1.5 s
    assert SEEN  # the endpoint was called


@pytest.mark.django_db
def test_hand_overs_and_personal_details_never_reach_the_model(catalog, endpoint):
    ANSWERS.update(mode="good", text="Dạ vâng ạ.")
    assert "nhân viên" in ask("hàng bị vỡ hết rồi", "h").text and not SEEN
    assert "0912345678" in ask("tên Lan, sđt 0912345678", "d").text and not SEEN  # delivery details stay here
    ask("mật ong bạc hà giá bao nhiêu, gọi mình 0912345678 nhé", "p")
    assert SEEN and "0912345678" not in json.dumps(SEEN[-1]["body"], ensure_ascii=False)
