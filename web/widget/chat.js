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

  var script = document.currentScript;
  var SERVER = script.dataset.server ||
    location.protocol + "//" + location.hostname + ":" + (script.dataset.port || "5005");
  var TITLE = script.dataset.title || "Assistente";
  var STORE_KEY = "upgrade-chat:" + SERVER;
  var MAX_KEPT = 200;          // messages kept for a reload
  var MAX_LENGTH = 2000;       // characters a customer can send at once
  var REPLY_TIMEOUT_MS = 30000;
  var OFFLINE_TEXT = "Non riesco a collegarmi all'assistente. Riprova tra poco, " +
    "oppure chiama il servizio commerciale Server Dedicati al +39 0575 05077 (lun–ven 8:30–18:00).";

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

  var launcher = el("button", "uc-launcher", { type: "button", "aria-label": "Apri la chat con " + TITLE });
  launcher.textContent = "💬 " + TITLE;
  var panel = el("section", "uc-panel", { role: "dialog", "aria-label": TITLE });
  panel.hidden = true;
  var header = el("div", "uc-header");
  var heading = el("h2");
  heading.textContent = TITLE;
  var close = el("button", "uc-close", { type: "button", "aria-label": "Chiudi la chat" });
  close.textContent = "×";
  header.append(heading, close);
  var status = el("div", "uc-status", { role: "status" });
  var log = el("div", "uc-log", { role: "log", "aria-live": "polite" });
  var form = el("form", "uc-form");
  var input = el("input", "uc-input", {
    type: "text", maxlength: String(MAX_LENGTH), autocomplete: "off",
    placeholder: "Scrivi un messaggio…", "aria-label": "Il tuo messaggio"
  });
  var send = el("button", "uc-send", { type: "submit" });
  send.textContent = "Invia";
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
  function draw(message, live) {
    if (message.text) {
      var bubble = el("div", "uc-msg " + (message.from === "user" ? "uc-user" : "uc-bot"));
      bubble.textContent = message.text;
      log.append(bubble);
    }
    // Buttons are quick replies: only the newest message's are shown, until one is used.
    if (live && message.buttons && message.buttons.length) {
      var group = el("div", "uc-buttons");
      message.buttons.forEach(function (button) {
        var node = el("button", "uc-button", { type: "button" });
        node.textContent = button.title;
        node.addEventListener("click", function () {
          clearButtons();
          say(button.payload, button.title);
        });
        group.append(node);
      });
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
  typing.textContent = "L'assistente sta scrivendo…";
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
  socket.on("disconnect", function () { status.textContent = "Connessione persa, mi ricollego…"; });

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
