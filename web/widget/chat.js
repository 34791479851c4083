/*
 * The upgrade assistant's chat widget: a small client on the official socket.io client
 * (web/vendor/socket.io.min.js), speaking Rasa's socketio channel.
 *
 * Rasa keeps the conversation (session_persistence: the same session_id after a reload);
 * the widget keeps what was shown, in localStorage, to draw it again after a reload.
 * Texts are inserted as text, never as HTML.
 */
(function () {
  "use strict";

  // Where the assistant answers and every text shown: written into the page by
  // ops/serve_web.py from the assistant's own settings and texts (domain.yml).
  var SETTINGS = JSON.parse(document.getElementById("upgrade-chat-settings").textContent);
  var TEXTS = SETTINGS.texts;
  var SERVER = SETTINGS.server ||
    location.protocol + "//" + location.hostname + ":" + SETTINGS.port;
  var TITLE = TEXTS.title;
  var STORE_KEY = "upgrade-chat:" + SERVER;
  var MAX_KEPT = 200;          // messages kept for a reload
  var MAX_LENGTH = 2000;       // characters a customer can send at once
  var REPLY_TIMEOUT_MS = 30000;
  var MAX_BUTTONS_SHOWN = 5;   // quick replies shown before "show all"
  var OFFLINE_TEXT = TEXTS.offline;

  var state = load();
  var confirmedSession = null;
  var pending = [];            // messages typed before the session was confirmed
  var replyTimer = null;

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

  var launcher = el("button", "uc-launcher", { type: "button", "aria-label": TEXTS.open });
  launcher.append(chatIcon(), document.createTextNode(TITLE));
  var panel = el("section", "uc-panel", { role: "dialog", "aria-label": TITLE });
  panel.hidden = true;
  var header = el("div", "uc-header");
  var heading = el("h2");
  heading.textContent = TITLE;
  var close = el("button", "uc-close", { type: "button", "aria-label": TEXTS.close });
  close.textContent = "×";
  header.append(heading, close);
  var status = el("div", "uc-status", { role: "status" });
  var log = el("div", "uc-log", { role: "log", "aria-live": "polite" });
  var form = el("form", "uc-form");
  var input = el("input", "uc-input", {
    type: "text", maxlength: String(MAX_LENGTH), autocomplete: "off",
    placeholder: TEXTS.placeholder, "aria-label": TEXTS.input_label
  });
  var send = el("button", "uc-send", { type: "submit" });
  send.textContent = TEXTS.send;
  form.append(input, send);
  panel.append(header, status, log, form);
  document.body.append(launcher, panel);

  // --- what is kept across reloads ----------------------------------------------------
  function load() {
    try {
      var saved = JSON.parse(localStorage.getItem(STORE_KEY) || "null");
      if (saved && Array.isArray(saved.messages)) return saved;
    } catch (ignored) { /* a corrupt entry starts a new conversation */ }
    return { sessionId: null, messages: [], open: false };
  }

  function save() {
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
      say(button.payload, button.title);
    });
    return node;
  }

  function draw(message, live) {
    if (message.text) {
      var bubble = el("div", "uc-msg " + (message.from === "user" ? "uc-user" : "uc-bot"));
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
        more.textContent = TEXTS.show_all.replace("{count}", String(message.buttons.length));
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

  var typing = el("div", "uc-typing");
  typing.textContent = TEXTS.typing;
  function showTyping(on) {
    if (on) { log.append(typing); log.scrollTop = log.scrollHeight; } else { typing.remove(); }
  }

  // --- talking to Rasa ----------------------------------------------------------------
  var socket = io(SERVER, { path: "/socket.io", transports: ["websocket", "polling"] });

  socket.on("connect", function () {
    status.textContent = "";
    socket.emit("session_request", { session_id: state.sessionId });
  });

  socket.on("session_confirm", function (sessionId) {
    confirmedSession = typeof sessionId === "string" ? sessionId : (sessionId && sessionId.session_id);
    if (state.sessionId !== confirmedSession) { state.sessionId = confirmedSession; save(); }
    pending.splice(0).forEach(emit);
    if (!panel.hidden) greetOnce();
  });

  socket.on("connect_error", function () { status.textContent = OFFLINE_TEXT; });
  socket.on("disconnect", function () { status.textContent = TEXTS.reconnecting; });

  socket.on("bot_uttered", function (reply) {
    clearTimeout(replyTimer);
    showTyping(false);
    var buttons = (reply.quick_replies || reply.buttons || []).map(function (button) {
      return { title: button.title, payload: button.payload };
    });
    var message = { from: "bot", text: reply.text || "", buttons: buttons };
    if (!message.text && !buttons.length) return;  // images and custom payloads: not used here
    if (buttons.length) clearButtons();
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
    showTyping(true);
    clearTimeout(replyTimer);
    replyTimer = setTimeout(function () {
      showTyping(false);
      status.textContent = OFFLINE_TEXT;
    }, REPLY_TIMEOUT_MS);
    if (confirmedSession && socket.connected) emit(text); else pending.push(text);
  }

  function greetOnce() {
    if (!state.greeted) { state.greeted = true; save(); say("/greet", null); }
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
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text) return;
    input.value = "";
    clearButtons();
    say(text, text);
  });

  redraw();
  if (state.open) setOpen(true);
})();
