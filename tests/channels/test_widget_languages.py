"""The widget's languages in Chromium, without a trained model: the support page served by
ops/serve_web.py (on a free port), and a fake assistant speaking Rasa's socketio protocol
that records what the widget sends and answers with the texts of domain.yml. Skipped
without Chromium, unless REQUIRE_BROWSER is set (as the integration tests do)."""

from __future__ import annotations

import asyncio
import functools
import json
import os
import threading
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import socketio
from aiohttp import web

from actions.texts import text, variant
from ops.serve_web import (
    LANGUAGES,
    WEB_ROOT,
    PageHandler,
    console_url,
    page_settings,
    widget_settings,
)

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ENGLISH = '/greet{"language":"en"}'
ITALIAN = '/greet{"language":"it"}'
IT = {"language": "it"}
EN = {"language": "en"}


class FakeAssistant:
    """Rasa's socketio channel as the widget sees it: session_request → session_confirm,
    user_uttered → bot_uttered. It answers the greeting and the language payloads as the
    assistant does (the texts of domain.yml), anything else with `replies[message]`."""

    def __init__(self) -> None:
        self.received: list[str] = []
        self.replies: dict[str, dict[str, Any]] = {}
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.port = 0

    def __enter__(self) -> FakeAssistant:
        self.thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self.loop).result(timeout=20)
        return self

    def __exit__(self, *_: Any) -> None:
        asyncio.run_coroutine_threadsafe(self._stop(), self.loop).result(timeout=20)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)
        self.loop.close()

    async def _stop(self) -> None:
        await self.runner.cleanup()
        tasks = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
        for task in tasks:  # engineio's pings and its service task
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def _start(self) -> None:
        sio = socketio.AsyncServer(async_mode="aiohttp", cors_allowed_origins="*")
        app = web.Application()
        sio.attach(app)

        @sio.on("session_request")
        async def session_request(sid: str, data: Any) -> None:
            session = (data or {}).get("session_id") or sid
            await sio.emit("session_confirm", session, room=sid)

        @sio.on("user_uttered")
        async def user_uttered(sid: str, data: Any) -> None:
            message = data["message"]
            self.received.append(message)
            await sio.emit("bot_uttered", self.answer(message), room=sid)

        self.runner = web.AppRunner(app)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    def answer(self, message: str) -> dict[str, Any]:
        said = {
            "/greet": bot("utter_greet", IT),
            ENGLISH: bot("utter_greet", EN),
            ITALIAN: bot("utter_greet", IT),
        }
        return self.replies.get(message) or said.get(message) or {"text": f"echo: {message}"}


def bot(name: str, slots: dict[str, str]) -> dict[str, Any]:
    """A response as Rasa's socketio channel sends it."""
    said: dict[str, Any] = {"text": text(name, slots)}
    buttons = variant(name, slots).get("buttons") or []
    if buttons:
        said["quick_replies"] = [
            {"content_type": "text", "title": b["title"], "payload": b["payload"]}
            for b in buttons
        ]
    return said


class QuietPageHandler(PageHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


class SupportPage:
    """ops/serve_web.py's page, on a free port, pointing the widget at the fake assistant."""

    def __init__(self, assistant_url: str, language: str = "it") -> None:
        settings = widget_settings(0, assistant_url, language)
        handler = functools.partial(
            QuietPageHandler, settings=settings, directory=str(WEB_ROOT)
        )
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        return f"http://127.0.0.1:{self.server.server_address[1]}/"

    def __exit__(self, *_: Any) -> None:
        self.server.shutdown()
        self.server.server_close()


def chromium_path() -> str:
    if Path(CHROMIUM).exists():
        return CHROMIUM
    if os.environ.get("REQUIRE_BROWSER"):
        pytest.fail(f"REQUIRE_BROWSER is set but there is no {CHROMIUM}")
    pytest.skip(f"the browser test needs Chromium at {CHROMIUM}")
    raise AssertionError("unreachable")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    executable = chromium_path()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable,
            args=["--no-sandbox", "--disable-gpu", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update"],
        )
        yield browser
        browser.close()


@pytest.fixture
def assistant() -> Iterator[FakeAssistant]:
    with FakeAssistant() as fake:
        yield fake


def phone(browser: Any) -> Any:
    return browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="it-IT"
    )


def wait_for(page: Any, predicate: str, arg: Any = None) -> None:
    page.wait_for_function(predicate, arg=arg, timeout=10_000)


def bot_bubble(page: Any, said: str) -> Any:
    bubble = page.locator(".uc-bot", has_text=said.split("\n")[0]).last
    bubble.wait_for(timeout=10_000)
    return bubble


def labels(page: Any) -> dict[str, Any]:
    shown: dict[str, Any] = page.evaluate(
        """() => ({
            placeholder: document.querySelector(".uc-input").placeholder,
            input: document.querySelector(".uc-input").getAttribute("aria-label"),
            send: document.querySelector(".uc-send").textContent,
            title: document.querySelector(".uc-header h2").textContent,
            close: document.querySelector(".uc-close").getAttribute("aria-label"),
            switch: document.querySelector(".uc-lang").textContent,
            switchLang: document.querySelector(".uc-lang").lang,
            switchName: document.querySelector(".uc-lang").getAttribute("aria-label"),
            panelLang: document.querySelector(".uc-panel").lang,
        })"""
    )
    return shown


def expected_labels(language: str) -> dict[str, Any]:
    slots = {"language": language}
    other = next(lang for lang in LANGUAGES if lang != language)
    return {
        "placeholder": text("part_widget_placeholder", slots),
        "input": text("part_widget_input_label", slots),
        "send": text("part_widget_send", slots),
        "title": text("part_widget_title", slots),
        "close": text("part_widget_close", slots),
        "switch": LANGUAGES[other],
        "switchLang": other,
        "switchName": LANGUAGES[other],
        "panelLang": language,
    }


def test_the_switch_sends_the_payload_relabels_and_is_remembered(
    browser: Any, assistant: FakeAssistant
) -> None:
    with SupportPage(assistant.url) as url:
        context = phone(browser)
        page = context.new_page()
        page.goto(url)
        assert page.evaluate("document.documentElement.lang") == "it"
        page.get_by_role("button", name=text("part_widget_open", IT)).click()
        bot_bubble(page, text("utter_greet", IT))
        assert assistant.received == ["/greet"]
        assert labels(page) == expected_labels("it")

        page.locator(".uc-header").get_by_role("button", name="English").click()
        bot_bubble(page, text("utter_greet", EN))
        assert assistant.received == ["/greet", ENGLISH]
        assert page.locator(".uc-user").count() == 0  # the payload is no customer bubble
        assert labels(page) == expected_labels("en")

        # Remembered with the conversation: after a reload, still English, no new greeting.
        page.reload()
        bot_bubble(page, text("utter_greet", EN))
        assert labels(page) == expected_labels("en")
        page.locator(".uc-input").fill("how much is more RAM")
        page.locator(".uc-send").click()
        bot_bubble(page, "echo: how much is more RAM")
        assert assistant.received == ["/greet", ENGLISH, "how much is more RAM"]

        # And back to Italian with the header's switch.
        page.locator(".uc-header").get_by_role("button", name="Italiano").click()
        bot_bubble(page, text("utter_greet", IT))
        assert assistant.received[-1] == ITALIAN
        assert labels(page) == expected_labels("it")
        context.close()


def test_the_switch_works_from_the_keyboard_and_fits_a_phone(
    browser: Any, assistant: FakeAssistant
) -> None:
    with SupportPage(assistant.url) as url:
        context = phone(browser)
        page = context.new_page()
        page.goto(url)
        page.get_by_role("button", name=text("part_widget_open", IT)).click()
        bot_bubble(page, text("utter_greet", IT))
        header = page.locator(".uc-header").bounding_box()
        boxes = [page.locator(selector).bounding_box()
                 for selector in (".uc-header h2", ".uc-lang", ".uc-close")]
        assert header is not None and all(boxes)
        title, switch, close = boxes
        # One row, in order, inside the 390 px screen, none over another.
        assert title["x"] + title["width"] <= switch["x"]
        assert switch["x"] + switch["width"] <= close["x"]
        assert close["x"] + close["width"] <= 390
        assert all(box["height"] >= 24 for box in (switch, close))  # touch targets
        assert header["height"] < 70

        # Focus moves to the switch with the keyboard; Enter presses it.
        page.locator(".uc-input").focus()
        for _ in range(10):  # from the input back through the quick replies to the header
            page.keyboard.press("Shift+Tab")
            if page.evaluate("document.activeElement.classList.contains('uc-lang')"):
                break
        page.keyboard.press("Enter")
        bot_bubble(page, text("utter_greet", EN))
        assert labels(page) == expected_labels("en")
        assert page.evaluate("document.activeElement.classList.contains('uc-lang')")
        # Space presses it too: back to Italian.
        page.keyboard.press("Space")
        bot_bubble(page, text("utter_greet", IT))
        assert assistant.received == ["/greet", ENGLISH, ITALIAN]
        assert labels(page) == expected_labels("it")
        context.close()


@pytest.mark.parametrize(("served_in", "query"), [("en", ""), ("it", "?lang=en")])
def test_an_english_page_greets_in_english(
    browser: Any, assistant: FakeAssistant, served_in: str, query: str
) -> None:
    with SupportPage(assistant.url, language=served_in) as url:
        context = browser.new_context(viewport={"width": 1366, "height": 800}, locale="en-GB")
        page = context.new_page()
        page.goto(url + query)
        assert page.evaluate("document.documentElement.lang") == "en"
        page.get_by_role("button", name=text("part_widget_open", EN)).click()
        bot_bubble(page, text("utter_greet", EN))
        assert assistant.received == ['/greet{"language":"en"}']
        assert labels(page) == expected_labels("en")
        context.close()


def test_the_widget_follows_the_assistant_when_it_changes_language(
    browser: Any, assistant: FakeAssistant
) -> None:
    # The customer wrote in English: the assistant switched by itself and offers a button
    # back to Italian.
    written = "I would like to add more RAM to my server"
    back = [{"content_type": "text", "title": "Italiano", "payload": ITALIAN}]
    assistant.replies[written] = {"text": text("utter_greet", EN), "quick_replies": back}
    with SupportPage(assistant.url) as url:
        context = phone(browser)
        page = context.new_page()
        page.goto(url)
        page.get_by_role("button", name=text("part_widget_open", IT)).click()
        bot_bubble(page, text("utter_greet", IT))
        page.locator(".uc-input").fill(written)
        page.locator(".uc-send").click()
        bot_bubble(page, text("utter_greet", EN))
        assert labels(page) == expected_labels("en")
        assert page.locator(".uc-bot").last.evaluate("node => node.lang") == "en"
        context.close()


def test_the_page_and_the_settings_say_the_language() -> None:
    settings = widget_settings(5005, None, "en")
    assert settings["language"] == "en" and settings["languages"] == LANGUAGES
    assert set(settings["texts"]) == set(LANGUAGES)
    for language in LANGUAGES:
        sent = text("part_widget_send", {"language": language})
        assert settings["texts"][language]["send"] == sent
    with pytest.raises(ValueError):
        widget_settings(5005, None, "fr")


def test_a_page_can_be_asked_in_a_language() -> None:
    settings = widget_settings(5005, None)
    assert page_settings(settings, "lang=en")["language"] == "en"
    assert page_settings(settings, "x=1&lang=EN")["language"] == "en"
    assert page_settings(settings, "lang=fr") is settings
    assert page_settings(settings, "") is settings
    assert page_settings(widget_settings(5005, None, "en"), "lang=it")["language"] == "it"


def test_the_page_names_its_language_and_the_guide_stays_italian() -> None:
    from ops.serve_web import render_page

    for language in LANGUAGES:
        page = render_page(widget_settings(5005, None, language))
        assert f'<html lang="{language}">' in page
        assert '<main class="guide" lang="it">' in page
        shown = page.split('id="upgrade-chat-settings">', 1)[1].split("</script>", 1)[0]
        assert json.loads(shown)["language"] == language


@pytest.mark.parametrize(
    "server, host, console",
    [
        (None, "localhost:8080", "http://localhost:5005/agent/"),
        (None, "127.0.0.1:8080", "http://127.0.0.1:5005/agent/"),
        ("https://assistente.example.it/", "www.example.it",
         "https://assistente.example.it/agent/"),
    ],
)
def test_the_page_server_sends_agents_to_the_assistants_console(
    server: str | None, host: str, console: str
) -> None:
    settings = widget_settings(5005, server)
    assert console_url(settings, host) == console
