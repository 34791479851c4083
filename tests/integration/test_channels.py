"""The two customer channels, used as a customer would: the support page's chat widget in
Debian's Chromium, and Telegram through its webhook with a fake Bot API on loopback."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import requests

from actions.texts import text

from .conftest import ROOT, expected_total, start_assistant, stop_assistant
from .fake_telegram import FakeBotApi

pytestmark = pytest.mark.needs_model

TOKEN = "123456789:AAF-test-token-for-the-fake-api"
SECRET = "s3cret_Token-for-tests"
PAGE = "http://127.0.0.1:8080/"
RASA = "http://127.0.0.1:5005"
WEBHOOK = f"{RASA}/webhooks/telegram/webhook"
SCREENSHOTS = ROOT / "var" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
INSTALL_CHROMIUM = "install Debian's Chromium to run it: sudo apt-get install chromium"
OPEN_CHAT = text("part_widget_open")
IT = {"language": "it"}
EN = {"language": "en"}


@pytest.fixture(scope="module")
def bot_api() -> Iterator[FakeBotApi]:
    with FakeBotApi(TOKEN) as api:
        yield api


def telegram_settings(bot_api: FakeBotApi) -> dict[str, str]:
    """Telegram on, against the fake Bot API."""
    return {
        "TELEGRAM_TOKEN": TOKEN,
        "TELEGRAM_SECRET_TOKEN": SECRET,
        "TELEGRAM_API_URL": bot_api.url,
        "TELEGRAM_WEBHOOK_URL": "https://assistenza.example.it/webhooks/telegram/webhook",
    }


@pytest.fixture(scope="module")
def assistant(trained_model: Path, bot_api: FakeBotApi) -> Iterator[None]:
    process = start_assistant(telegram_settings(bot_api))
    yield
    stop_assistant(process)


# --- the web widget ---------------------------------------------------------------------


def chromium_path() -> str:
    if Path(CHROMIUM).exists():
        return CHROMIUM
    if os.environ.get("REQUIRE_BROWSER"):  # CI installs it: a missing browser is a failure
        pytest.fail(f"REQUIRE_BROWSER is set but there is no {CHROMIUM}: {INSTALL_CHROMIUM}")
    pytest.skip(f"the browser test needs Chromium at {CHROMIUM}: {INSTALL_CHROMIUM}")
    raise AssertionError("unreachable")


@contextmanager
def chromium() -> Iterator[Any]:
    """Debian's Chromium under Playwright (skipped, or failed under CI, without it)."""
    executable = chromium_path()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable,
            # No sandbox as root; no calls home from a machine with a closed network.
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def browser(assistant: None) -> Iterator[Any]:
    with chromium() as launched:
        yield launched


def bot_texts(page: Any) -> list[str]:
    return [text.strip() for text in page.locator(".uc-bot").all_inner_texts()]


def wait_for_bot_text(page: Any, fragment: str) -> None:
    page.locator(".uc-bot", has_text=fragment).last.wait_for(timeout=60_000)


def test_widget_quote_on_a_phone_survives_a_reload(browser: Any) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="it-IT"
    )
    page = context.new_page()
    page.goto(PAGE)
    assert "Upgrade di un servizio" in page.locator("h1").inner_text()
    page.get_by_role("button", name=OPEN_CHAT).click()
    panel = page.locator(".uc-panel")
    # A phone-sized screen: the open panel takes the whole width.
    assert panel.bounding_box()["width"] == pytest.approx(390, abs=1)

    wait_for_bot_text(page, "Ciao!")
    page.get_by_role("button", name="Calcola un upgrade").click()
    wait_for_bot_text(page, "Quale servizio")
    page.get_by_role("button", name="Server Dedicato Entry").click()
    # The add-ons are many: a few are shown and "show all", the question stays in sight.
    wait_for_bot_text(page, "Cosa vorresti aggiungere")
    shown = page.locator(".uc-buttons .uc-button:visible")
    assert shown.count() == 5 and page.locator(".uc-more").is_visible()
    question = page.locator(".uc-bot", has_text="Cosa vorresti aggiungere").last.bounding_box()
    assert question is not None and 0 <= question["y"] < 844
    page.screenshot(path=str(SCREENSHOTS / "widget-phone-addons.png"))
    page.locator(".uc-more").click()
    assert shown.count() > 5
    page.locator(".uc-input").fill("16 giga di ram, scade tra 40 giorni")
    page.locator(".uc-send").click()
    total = expected_total("ds-entry", ["ram-16"], 40)
    wait_for_bot_text(page, f"= {total}")
    quote = next(text for text in bot_texts(page) if "Ecco il preventivo" in text)
    assert "Server Dedicato Entry" in quote and "RAM +16 GB: 10,00 €/mese" in quote
    # The total stands out.
    assert f"= {total}" in page.locator(".uc-bot .uc-total").last.inner_text()
    page.screenshot(path=str(SCREENSHOTS / "widget-phone-quote.png"))

    # After a reload the conversation is still there, and Rasa still knows it.
    page.reload()
    wait_for_bot_text(page, f"= {total}")
    page.locator(".uc-input").fill("anzi, scade tra 80 giorni")
    page.locator(".uc-send").click()
    wait_for_bot_text(page, f"= {expected_total('ds-entry', ['ram-16'], 80)}")
    page.get_by_role("button", name="Come lo ordino").last.click()
    wait_for_bot_text(page, "Area Clienti")
    page.screenshot(path=str(SCREENSHOTS / "widget-phone-after-reload.png"))
    context.close()


def test_widget_on_a_desktop(browser: Any) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="it-IT")
    page = context.new_page()
    page.goto(PAGE)
    page.get_by_role("button", name=OPEN_CHAT).click()
    wait_for_bot_text(page, "Ciao!")
    page.locator(".uc-input").fill("un ip in più sull'housing 1u, scade tra 10 giorni")
    page.locator(".uc-send").click()
    wait_for_bot_text(page, "Rinnovo con l'upgrade incluso")
    box = page.locator(".uc-panel").bounding_box()
    assert box["width"] < 500  # a corner panel, the page stays readable beside it
    page.screenshot(path=str(SCREENSHOTS / "widget-desktop-renewal.png"))
    context.close()


@pytest.mark.parametrize("width", [1366, 1440, 1920])
def test_the_open_panel_leaves_the_guide_readable(browser: Any, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 800}, locale="it-IT")
    page = context.new_page()
    page.goto(PAGE)
    page.get_by_role("button", name=OPEN_CHAT).click()
    panel = page.locator(".uc-panel").bounding_box()
    text_boxes = [page.locator(selector).first.bounding_box()
                  for selector in ("main.guide h1", "main.guide p", "main.guide ul")]
    assert panel is not None and all(box is not None for box in text_boxes)
    assert max(box["x"] + box["width"] for box in text_boxes if box) <= panel["x"]
    if width == 1366:
        page.screenshot(path=str(SCREENSHOTS / "widget-desktop-1366-open.png"))
    context.close()


def widget_labels(page: Any) -> dict[str, str | None]:
    return {
        "placeholder": page.locator(".uc-input").get_attribute("placeholder"),
        "send": page.locator(".uc-send").inner_text().strip(),
        "title": page.locator(".uc-header h2").inner_text().strip(),
        "switch": page.locator(".uc-lang").inner_text().strip(),
    }


def expected_labels(slots: dict[str, str], switch: str) -> dict[str, str | None]:
    return {
        "placeholder": text("part_widget_placeholder", slots),
        "send": text("part_widget_send", slots),
        "title": text("part_widget_title", slots),
        "switch": switch,
    }


def test_widget_switches_to_english_on_a_phone(browser: Any) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="it-IT"
    )
    page = context.new_page()
    page.goto(PAGE)
    page.get_by_role("button", name=OPEN_CHAT).click()
    wait_for_bot_text(page, "Ciao!")
    assert widget_labels(page) == expected_labels(IT, "English")
    page.screenshot(path=str(SCREENSHOTS / "widget-phone-it.png"))

    page.locator(".uc-header").get_by_role("button", name="English").click()
    # The widget's own labels switch at once; the payload is no customer bubble.
    assert widget_labels(page) == expected_labels(EN, "Italiano")
    assert page.locator(".uc-panel").get_attribute("lang") == "en"
    page.locator(".uc-bot").nth(1).wait_for(timeout=60_000)
    page.screenshot(path=str(SCREENSHOTS / "widget-phone-en.png"))
    assert page.locator(".uc-user").count() == 0
    # The panel still takes the phone's width; the header keeps title, switch and close in it.
    assert page.locator(".uc-panel").bounding_box()["width"] == pytest.approx(390, abs=1)
    switch, close = (page.locator(s).bounding_box() for s in (".uc-lang", ".uc-close"))
    assert switch["x"] + switch["width"] <= close["x"] <= close["x"] + close["width"] <= 390
    # Rasa answers the switch with its greeting in English.
    reply = bot_texts(page)[-1]
    assert reply != text("utter_greet", IT)
    assert reply == text("utter_greet", EN)

    # Remembered after a reload, in the widget and in Rasa; the switch goes back.
    page.reload()
    wait_for_bot_text(page, reply.split("\n")[0])
    assert widget_labels(page) == expected_labels(EN, "Italiano")
    page.locator(".uc-header").get_by_role("button", name="Italiano").click()
    page.locator(".uc-bot").nth(2).wait_for(timeout=60_000)
    assert bot_texts(page)[-1] == text("utter_greet", IT)
    assert widget_labels(page) == expected_labels(IT, "English")
    context.close()


def test_widget_on_an_english_page_greets_in_english(browser: Any) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1366, "height": 800}, locale="en-GB")
    page = context.new_page()
    # The page asked in English (<html lang="en">), as a link from an English page does.
    page.goto(PAGE + "?lang=en")
    assert page.evaluate("document.documentElement.lang") == "en"
    page.get_by_role("button", name=text("part_widget_open", EN)).click()
    page.locator(".uc-bot").first.wait_for(timeout=60_000)
    page.screenshot(path=str(SCREENSHOTS / "widget-desktop-1366-en.png"))
    assert widget_labels(page) == expected_labels(EN, "Italiano")
    panel = page.locator(".uc-panel").bounding_box()
    guide = page.locator("main.guide p").first.bounding_box()
    assert panel is not None and guide is not None and guide["x"] + guide["width"] <= panel["x"]
    # The widget greeted with /greet{"language":"en"}: Rasa greets in English.
    assert bot_texts(page)[0] != text("utter_greet", IT)
    assert bot_texts(page)[0] == text("utter_greet", EN)
    context.close()


def test_socket_refuses_pages_of_other_origins(assistant: None) -> None:
    poll = f"{RASA}/socket.io/?EIO=4&transport=polling"
    allowed = requests.get(poll, headers={"Origin": "http://localhost:8080"}, timeout=10)
    assert allowed.status_code == 200
    assert allowed.headers["Access-Control-Allow-Origin"] == "http://localhost:8080"
    refused = requests.get(poll, headers={"Origin": "https://evil.example"}, timeout=10)
    assert refused.status_code == 400
    rest = requests.options(
        f"{RASA}/webhooks/rest/webhook",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
        timeout=10,
    )
    assert "https://evil.example" not in rest.headers.get("Access-Control-Allow-Origin", "")
    assert "*" not in rest.headers.get("Access-Control-Allow-Origin", "")


def test_page_and_widget_are_served_as_utf8(assistant: None) -> None:
    page = requests.get(PAGE, timeout=10)
    assert page.headers["Content-Type"] == "text/html; charset=utf-8"
    assert "mensilità" in page.text
    for asset in ("vendor/socket.io.min.js", "widget/chat.js", "widget/chat.css"):
        served = requests.get(PAGE + asset, timeout=10)
        assert served.ok and served.headers["Content-Type"].endswith("; charset=utf-8")


# --- Telegram ---------------------------------------------------------------------------


def text_message(update_id: int, chat_id: int, text: str) -> dict[str, Any]:
    """An Update as Telegram sends it for a text message in a private chat."""
    person = {"id": chat_id, "first_name": "Mario", "last_name": "Rossi", "username": "mrossi"}
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id % 1000,
            "from": {**person, "is_bot": False, "language_code": "it"},
            "chat": {**person, "type": "private"},
            "date": 1795680000,
            "text": text,
        },
    }


def button_press(update_id: int, chat_id: int, data: str) -> dict[str, Any]:
    """An Update as Telegram sends it when an inline keyboard button is tapped."""
    person = {"id": chat_id, "first_name": "Mario", "username": "mrossi"}
    return {
        "update_id": update_id,
        "callback_query": {
            "id": f"cb-{update_id}",
            "from": {**person, "is_bot": False, "language_code": "it"},
            "message": {
                "message_id": 7,
                "from": {"id": 1, "is_bot": True, "first_name": "Upgrade"},
                "chat": {**person, "type": "private"},
                "date": 1795680000,
                "text": "…",
            },
            "chat_instance": "-42",
            "data": data,
        },
    }


def post_update(body: dict[str, Any], secret: str | None = SECRET) -> requests.Response:
    headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
    return requests.post(WEBHOOK, json=body, headers=headers, timeout=60)


def sent_to(bot_api: FakeBotApi, chat_id: int) -> list[dict[str, Any]]:
    return [call for call in bot_api.calls_to("sendMessage") if call["chat_id"] == str(chat_id)]


def test_telegram_webhook_is_registered_with_the_secret(
    assistant: None, bot_api: FakeBotApi
) -> None:
    registered = bot_api.wait_for("setWebhook", 1)[0]
    assert registered["url"] == "https://assistenza.example.it/webhooks/telegram/webhook"
    assert registered["secret_token"] == SECRET


def test_telegram_quote_arrives_with_its_buttons(assistant: None, bot_api: FakeBotApi) -> None:
    chat = 424242
    message = "vorrei 16 giga di ram in più sul server entry, scade tra 40 giorni"
    assert post_update(text_message(1001, chat, message)).text == "success"
    quote = sent_to(bot_api, chat)
    assert len(quote) == 1, "one answer is one Telegram message"
    text = quote[0]["text"]
    assert "Ecco il preventivo per il tuo Server Dedicato Entry" in text
    assert f"= {expected_total('ds-entry', ['ram-16'], 40)}" in text
    keyboard = json.loads(quote[0]["reply_markup"])["inline_keyboard"]
    buttons = {row[0]["text"]: row[0]["callback_data"] for row in keyboard}
    assert buttons["Come lo ordino"] == "/ask_order_procedure"
    assert "Parla con una persona" in buttons

    assert post_update(button_press(1002, chat, buttons["Come lo ordino"])).text == "success"
    assert {"callback_query_id": "cb-1002"} in bot_api.calls_to("answerCallbackQuery")
    answers = sent_to(bot_api, chat)
    assert len(answers) == 2 and "Area Clienti" in answers[1]["text"]


def test_telegram_start_command_greets_with_buttons(assistant: None, bot_api: FakeBotApi) -> None:
    chat = 515151
    post_update(text_message(2001, chat, "/start"))
    (greeting,) = sent_to(bot_api, chat)
    assert greeting["text"].startswith("Ciao!")
    assert "Calcola un upgrade" in greeting["reply_markup"]


def test_telegram_lang_command_switches_the_language(
    assistant: None, bot_api: FakeBotApi
) -> None:
    chat = 525252
    post_update(text_message(2101, chat, "/lang en"))
    (switched,) = sent_to(bot_api, chat)
    assert switched["text"] == text("utter_greet", EN)
    post_update(text_message(2102, chat, "/lang italiano"))
    assert sent_to(bot_api, chat)[-1]["text"] == text("utter_greet", IT)


@pytest.mark.parametrize("secret", [None, "", "wrong-secret"])
def test_telegram_refuses_calls_without_the_secret(
    assistant: None, bot_api: FakeBotApi, secret: str | None
) -> None:
    chat = 616161
    refused = post_update(text_message(3001, chat, "ciao"), secret=secret)
    assert refused.status_code == 403
    assert sent_to(bot_api, chat) == []


def test_telegram_rejects_what_is_not_an_update(assistant: None) -> None:
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET, "Content-Type": "application/json"}
    for body in ("{not json", "[1, 2]", '"text"'):
        assert requests.post(WEBHOOK, data=body, headers=headers, timeout=10).status_code == 400
