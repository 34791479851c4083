/*
 * The upgrade assistant's chat widget: a small client on the official socket.io client
 * (web/vendor/socket.io.min.js), speaking Rasa's socketio channel.
 *
 * Rasa keeps the conversation (session_persistence: the same session_id after a reload);
 * the widget keeps what was shown, in localStorage, to draw it again after a reload.
 * Texts are inserted as text, never as HTML.
 *
 * Languages: the widget starts in the page's (<html lang>), or the one the customer chose
 * before (kept with the conversation). The switch in the header sends Rasa the payload
 * /greet{"language":"en"} (no customer bubble: the greeting comes back in English) and
 * relabels the widget; a button of the assistant's that offers a language tells the widget
 * it speaks the other one.
 */
(function () {
  "use strict";

  // Where the assistant answers and every text shown: written into the page by
  // ops/serve_web.py from the assistant's own settings and texts (domain.yml).
  var SETTINGS = JSON.parse(document.getElementById("upgrade-chat-settings").textContent);
  var TEXTS = SETTINGS.texts;          // {"it": {...}, "en": {...}}
  var NAMES = SETTINGS.languages;      // each language named in itself: {"en": "English"}
  var FIRST = Object.keys(NAMES)[0];   // the assistant's own language
  var SERVER = SETTINGS.server ||
    location.protocol + "//" + location.hostname + ":" + SETTINGS.port;
  var STORE_KEY = "upgrade-chat:" + SERVER;
  var MAX_KEPT = 200;          // messages kept for a reload
  var MAX_LENGTH = 2000;       // characters a customer can send at once
  var REPLY_TIMEOUT_MS = 30000;
  var MAX_BUTTONS_SHOWN = 5;   // quick replies shown before "show all"
  // The payload that sets the conversation's language, as Rasa's buttons send it too.
  var SET_LANGUAGE = /^\/greet\{\s*"language"\s*:\s*"([a-z]+)"\s*\}$/;

  var state = load();
  var language = known(state.language) || known(pageLanguage()) || FIRST;
  var confirmedSession = null;
  var pending = [];            // messages typed before the session was confirmed
  var replyTimer = null;
  var statusKey = null;        // the text the status line shows, redrawn in a new language

  // --- languages ----------------------------------------------------------------------
  function known(lang) { return lang && TEXTS[lang] && NAMES[lang] ? lang : null; }

  // "en", "en-GB", "EN" are English; the settings say the page's language too.
  function pageLanguage() {
    var lang = (document.documentElement.lang || SETTINGS.language || "").toLowerCase();
    return known(lang.split("-")[0]) || known(SETTINGS.language);
  }

  function t(key) { return TEXTS[language][key] || TEXTS[FIRST][key] || ""; }

  // The language the switch offers: with two, the one the widget is not in.
  function other() {
    var langs = Object.keys(NAMES);
    return langs[(langs.indexOf(language) + 1) % langs.length];
  }

  function setLanguageMessage(lang) { return "/greet" + JSON.stringify({ language: lang }); }

  // --- the page elements --------------------------------------------------------------
  function el(tag, className, attributes) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    Object.keys(attributes || {}).forEach(function (name) { node.setAttribute(name, attributes[name]); });
    return node;
  }

  // The launcher's icon: a speech bubble drawn inline (an emoji is not drawn everywhere).
  function chatIcon() {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("class", "uc-icon");
    svg.setAttribute("aria-hidden", "true");
    var bubble = document.createElementNS(ns, "path");
    bubble.setAttribute("d", "M4 3h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2z");
    bubble.setAttribute("fill", "currentColor");
    svg.append(bubble);
    return svg;
  }

  var launcher = el("button", "uc-launcher", { type: "button" });
  var launcherTitle = el("span");
  launcher.append(chatIcon(), launcherTitle);
  var panel = el("section", "uc-panel", { role: "dialog" });
  panel.hidden = true;
  var header = el("div", "uc-header");
  var heading = el("h2");
  // The other language, named in itself (and marked as such for screen readers).
  var switcher = el("button", "uc-lang", { type: "button" });
  var close = el("button", "uc-close", { type: "button" });
  close.textContent = "×";
  header.append(heading, switcher, close);
  var status = el("div", "uc-status", { role: "status" });
  var log = el("div", "uc-log", { role: "log", "aria-live": "polite" });
  var form = el("form", "uc-form");
  var input = el("input", "uc-input", {
    type: "text", maxlength: String(MAX_LENGTH), autocomplete: "off"
  });
  var send = el("button", "uc-send", { type: "submit" });
  form.append(input, send);
  panel.append(header, status, log, form);
  document.body.append(launcher, panel);
  var typing = el("div", "uc-typing");

  // Every label in the widget's language; the panel says which, for screen readers.
  function label() {
    launcher.lang = panel.lang = language;
    launcher.setAttribute("aria-label", t("open"));
    launcherTitle.textContent = t("title");
    panel.setAttribute("aria-label", t("title"));
    heading.textContent = t("title");
    var next = other();
    switcher.lang = next;
    switcher.textContent = NAMES[next];
    // The language's own invitation if domain.yml has one (part_widget_language), else its name.
    switcher.setAttribute("aria-label", TEXTS[next].language || NAMES[next]);
    close.setAttribute("aria-label", t("close"));
    input.setAttribute("placeholder", t("placeholder"));
    input.setAttribute("aria-label", t("input_label"));
    send.textContent = t("send");
    typing.textContent = t("typing");
    status.textContent = statusKey ? t(statusKey) : "";
    log.querySelectorAll(".uc-more").forEach(showAllLabel);
  }

  function showAllLabel(more) { more.textContent = t("show_all").replace("{count}", more.dataset.count); }

  function setStatus(key) {
    statusKey = key;
    status.textContent = key ? t(key) : "";
  }

  function setLanguage(lang) {
    if (!known(lang) || lang === language) return;
    language = lang;
    save();
    label();
  }

  // --- what is kept across reloads ----------------------------------------------------
  function load() {
    try {
      var saved = JSON.parse(localStorage.getItem(STORE_KEY) || "null");
      if (saved && Array.isArray(saved.messages)) return saved;
    } catch (ignored) { /* a corrupt entry starts a new conversation */ }
    return { sessionId: null, messages: [], open: false, language: null, person: false };
  }

  function save() {
    state.language = language;
    state.messages = state.messages.slice(-MAX_KEPT);
    try { localStorage.setItem(STORE_KEY, JSON.stringify(state)); } catch (ignored) { /* private mode */ }
  }

  // --- drawing ------------------------------------------------------------------------
  // A quote's total (the lines that begin as the settings' `emphasis` do) stands out.
  function fill(bubble, text) {
    text.split("\n").forEach(function (line, index) {
      if (index) bubble.append("\n");
      var strong = SETTINGS.emphasis.some(function (start) { return line.indexOf(start) === 0; });
      if (!strong) { bubble.append(line); return; }
      var node = el("strong", "uc-total");
      node.textContent = line;
      bubble.append(node);
    });
  }

  function quickReply(button) {
    var node = el("button", "uc-button", { type: "button" });
    node.textContent = button.title;
    node.addEventListener("click", function () {
      clearButtons();
      var asked = SET_LANGUAGE.exec(button.payload);
      if (asked) setLanguage(asked[1]);  // the assistant's "switch back" button
      say(button.payload, button.title);
    });
    return node;
  }

  function draw(message, live) {
    if (message.text) {
      var bubble = el("div", "uc-msg " + (message.from === "user" ? "uc-user" : "uc-bot"));
      if (message.lang) bubble.lang = message.lang;  // the assistant's, in the language it spoke
      if (message.from === "user") bubble.textContent = message.text;
      else fill(bubble, message.text);
      log.append(bubble);
    }
    // Buttons are quick replies: only the newest message's are shown, until one is used.
    // A long list shows its first few and "show all", so that on a phone it does not push
    // the question out of sight.
    if (live && message.buttons && message.buttons.length) {
      var group = el("div", "uc-buttons");
      var long = message.buttons.length > MAX_BUTTONS_SHOWN;
      message.buttons.forEach(function (button, index) {
        var node = quickReply(button);
        if (long && index >= MAX_BUTTONS_SHOWN - 1) node.hidden = true;
        group.append(node);
      });
      if (long) {
        var more = el("button", "uc-button uc-more", { type: "button" });
        more.dataset.count = String(message.buttons.length);
        showAllLabel(more);
        more.addEventListener("click", function () {
          group.querySelectorAll(".uc-button[hidden]").forEach(function (node) { node.hidden = false; });
          more.remove();
        });
        group.append(more);
      }
      log.append(group);
    }
    log.scrollTop = log.scrollHeight;
  }

  function clearButtons() {
    log.querySelectorAll(".uc-buttons").forEach(function (node) { node.remove(); });
  }

  function redraw() {
    log.textContent = "";
    var lastUser = -1;
    state.messages.forEach(function (message, index) { if (message.from === "user") lastUser = index; });
    state.messages.forEach(function (message, index) { draw(message, index > lastUser); });
  }

  function showTyping(on) {
    if (on) { log.append(typing); log.scrollTop = log.scrollHeight; } else { typing.remove(); }
  }

  // --- talking to Rasa ----------------------------------------------------------------
  var socket = io(SERVER, { path: "/socket.io", transports: ["websocket", "polling"] });

  socket.on("connect", function () {
    setStatus(null);
    socket.emit("session_request", { session_id: state.sessionId });
  });

  socket.on("session_confirm", function (sessionId) {
    confirmedSession = typeof sessionId === "string" ? sessionId : (sessionId && sessionId.session_id);
    if (state.sessionId !== confirmedSession) { state.sessionId = confirmedSession; save(); }
    pending.splice(0).forEach(emit);
    if (!panel.hidden) greetOnce();
  });

  socket.on("connect_error", function () { setStatus("offline"); });
  socket.on("disconnect", function () { setStatus("reconnecting"); });

  socket.on("bot_uttered", function (reply) {
    clearTimeout(replyTimer);
    showTyping(false);
    // A person holds the conversation (channels/live_handoff.py): the customer's messages
    // get no instant answer, so no "typing" and no time-out while they wait.
    if (reply.handoff) {
      state.person = reply.handoff === "queued" || reply.handoff === "taken";
      save();
      return;
    }
    var buttons = (reply.quick_replies || reply.buttons || []).map(function (button) {
      return { title: button.title, payload: button.payload };
    });
    if (!reply.text && !buttons.length) return;  // images and custom payloads: not used here
    if (buttons.length) clearButtons();
    // A button that offers a language: the assistant speaks the other one (it may have
    // changed by itself, when the customer wrote in the other language).
    buttons.forEach(function (button) {
      var offered = SET_LANGUAGE.exec(button.payload);
      if (offered && offered[1] === language) setLanguage(other());
    });
    var message = { from: "bot", text: reply.text || "", buttons: buttons, lang: language };
    state.messages.push(message);
    save();
    draw(message, true);
  });

  function emit(text) {
    socket.emit("user_uttered", { message: text, session_id: confirmedSession });
  }

  // `shown` is what the bubble says: a button shows its title and sends its payload.
  function say(text, shown) {
    if (shown !== null) {
      var message = { from: "user", text: shown };
      state.messages.push(message);
      save();
      draw(message, false);
    }
    clearTimeout(replyTimer);
    if (state.person) {  // a person answers when they answer
      if (confirmedSession && socket.connected) emit(text); else pending.push(text);
      return;
    }
    showTyping(true);
    replyTimer = setTimeout(function () {
      showTyping(false);
      setStatus("offline");
    }, REPLY_TIMEOUT_MS);
    if (confirmedSession && socket.connected) emit(text); else pending.push(text);
  }

  // In the assistant's own language a plain greeting; in another, one that sets it.
  function greetOnce() {
    if (state.greeted) return;
    state.greeted = true;
    save();
    say(language === FIRST ? "/greet" : "/greet" + JSON.stringify({ language: language }), null);
  }

  // --- the customer's side ------------------------------------------------------------
  function setOpen(open) {
    state.open = open;
    save();
    panel.hidden = !open;
    launcher.hidden = open;
    if (open) { log.scrollTop = log.scrollHeight; input.focus(); if (confirmedSession) greetOnce(); }
  }

  launcher.addEventListener("click", function () { setOpen(true); });
  close.addEventListener("click", function () { setOpen(false); });
  // The switch: Rasa is told (no customer bubble: the assistant's answer says it), the
  // widget relabels at once.
  switcher.addEventListener("click", function () {
    var next = other();
    setLanguage(next);
    say(setLanguageMessage(next), null);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text) return;
    input.value = "";
    clearButtons();
    say(text, text);
  });

  label();
  redraw();
  if (state.open) setOpen(true);
})();
