/*
 * The agents' console for the live chat handoff: sign in, the queue of conversations waiting
 * for a person, one conversation open at a time (facts, the whole conversation, the reply).
 *
 * Texts from the server come from customers: they are always inserted as text, never as HTML.
 * Nothing polls: the queue and the open conversation are fetched again only on a Server-Sent
 * Event, after an action of the agent, or once after the event stream reconnects.
 */
(() => {
  "use strict";

  const API = "/agent/api";
  const TITLE = "Console operatori · Assistenza Server Dedicati";
  const SPEAKERS = { cliente: "Cliente", assistente: "Assistente", operatore: "Operatore" };
  const CHANNELS = { socketio: "Sito web", telegram: "Telegram", rest: "API" };
  const LANGUAGES = { it: "italiano", en: "inglese", de: "tedesco", fr: "francese", es: "spagnolo" };
  const LATE_MS = 5 * 60000;   // a customer waiting longer than this is shown in red

  const $ = (id) => document.getElementById(id);
  const me = { name: null, csrf: null };
  let queue = [];              // the last /queue answer, each with `since` (ms) added
  let queueSeq = 0;            // answers to older /queue requests are dropped
  let open = null;             // the open conversation: {id, data, keys of lines shown, early}
  const unread = new Set();    // conversations with a message not seen yet
  const drafts = new Map();    // reply typed per conversation, kept when switching
  const chosen = new Set();    // payloads of the quick replies attached to the next reply
  let events = null, connectedOnce = false, retryTimer = null, statusTimer = null;
  let sending = false;

  // --- small helpers ------------------------------------------------------------------
  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (tag === "button") node.type = "button";
    return node;
  }
  const enc = encodeURIComponent;

  // Errors stay until the next message; other news clear themselves.
  function status(text, kind = "info") {
    const line = $("status");
    line.textContent = text || "";
    line.className = `status ${kind}`;
    clearTimeout(statusTimer);
    if (text && kind === "info") statusTimer = setTimeout(() => { line.textContent = ""; }, 6000);
  }

  const fail = (err) => { if (!err.handled) status(err.message || "Errore imprevisto.", "error"); };

  function hhmm(iso) {
    const d = new Date(iso);
    if (Number.isNaN(d.getTime())) return "";
    const time = d.toLocaleTimeString("it-IT", { hour: "2-digit", minute: "2-digit" });
    if (d.toDateString() === new Date().toDateString()) return time;
    return `${d.toLocaleDateString("it-IT", { day: "2-digit", month: "2-digit" })} ${time}`;
  }

  // "2026-12-15" → "15/12/2026" (split, not Date: a bare date would shift with the time zone).
  function day(value) {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value || "");
    return m ? `${m[3]}/${m[2]}/${m[1]}` : value;
  }

  function waited(since) {
    const minutes = Math.floor(Math.max(0, Date.now() - since) / 60000);
    if (minutes < 1) return "meno di 1 min";
    if (minutes < 60) return `${minutes} min`;
    return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
  }

  function stateLabel(c) {
    if (c.state === "queued") return "In coda";
    if (c.state === "taken") return c.mine ? "Tua" : `Presa da ${c.agent || "un collega"}`;
    if (c.state === "handed_back") return "Restituita all'assistente";
    return "Terminata";
  }

  // --- the server -----------------------------------------------------------------------
  async function api(method, path, body) {
    const headers = { Accept: "application/json" };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (method === "POST" && me.csrf) headers["X-CSRF-Token"] = me.csrf;
    let response;
    try {
      response = await fetch(API + path, {
        method, headers, credentials: "same-origin",
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      throw Object.assign(new Error("Server non raggiungibile: controlla la connessione."), { status: 0, body: {} });
    }
    let data = {};
    try { if (response.status !== 204) data = await response.json(); } catch { data = {}; }
    if (response.ok) return data;
    const err = Object.assign(new Error(data.error || `Errore del server (${response.status}).`),
      { status: response.status, body: data });
    // The session ended (expired, signed out elsewhere): back to the sign-in form.
    if (response.status === 401 && path !== "/sign-in" && me.name) {
      signedOut("Sessione scaduta: accedi di nuovo.", "error");
      err.handled = true;
    }
    throw err;
  }

  // --- signing in and out ---------------------------------------------------------------
  function showConsole(on) {
    $("who").hidden = $("console").hidden = !on;
    $("signed-out").hidden = on;
  }

  function signedIn(data) {
    me.name = data.name;
    me.csrf = data.csrf;
    $("agent-name").textContent = data.name || "";
    showConsole(true);
    loadQueue();
    startEvents();
  }

  function signedOut(message, kind = "info") {
    me.name = me.csrf = open = null;
    stopEvents();
    connectedOnce = false;
    queue = [];
    [unread, drafts, chosen].forEach((set) => set.clear());
    ["queue", "log", "facts"].forEach((id) => $(id).replaceChildren());
    $("reply").value = "";
    $("conversation").hidden = true;
    $("no-selection").hidden = false;
    showConsole(false);
    document.title = TITLE;
    status(message, kind);
    $("email").focus();
  }

  $("sign-in").addEventListener("submit", async (event) => {
    event.preventDefault();
    const submit = $("sign-in-submit");
    submit.disabled = true;
    try {
      const data = await api("POST", "/sign-in", { email: $("email").value.trim(), password: $("password").value });
      $("password").value = "";
      status("");
      signedIn(data);
      submit.disabled = false;
    } catch (err) {
      fail(err);
      // Too many attempts: the button counts down the seconds the server asked to wait.
      let left = err.status === 429 ? Math.ceil(Number(err.body?.retry_after)) || 0 : 0;
      const tick = () => {
        submit.disabled = left > 0;
        submit.textContent = left > 0 ? `Riprova tra ${left--} s` : "Accedi";
        if (submit.disabled) setTimeout(tick, 1000);
      };
      tick();
    }
  });

  $("sign-out").addEventListener("click", async () => {
    try {
      await api("POST", "/sign-out");
      signedOut("Sei uscito dalla console.");
    } catch (err) { fail(err); }
  });

  // --- the queue ------------------------------------------------------------------------
  async function loadQueue() {
    const seq = ++queueSeq;
    try {
      const data = await api("GET", "/queue");
      if (seq !== queueSeq || !me.name) return;
      const now = Date.now();
      // `since` from waiting_s measured by the server: immune to a wrong clock on this PC.
      queue = (data.conversations || []).map((c) => ({
        ...c, since: Number.isFinite(c.waiting_s) ? now - c.waiting_s * 1000 : Date.parse(c.queued_at),
      }));
      renderQueue();
      // The open conversation changed hands (taken by someone, handed back): reload it.
      const item = open?.data && queue.find((c) => c.conversation === open.id);
      if (item && (item.state !== open.data.state || (item.agent ?? null) !== (open.data.agent ?? null)
        || Boolean(item.mine) !== Boolean(open.data.mine))) {
        openConversation(open.id);
      }
    } catch (err) { fail(err); }
  }

  function renderQueue() {
    $("queue").replaceChildren(...queue.map(queueItem));
    $("queue-empty").hidden = queue.length > 0;
    const waiting = queue.filter((c) => c.state === "queued").length;
    $("queue-count").textContent = `${waiting} in attesa`;
    document.title = (waiting ? `(${waiting}) ` : "") + TITLE;
  }

  function queueItem(c) {
    const f = c.facts || {};
    const li = el("li", `item ${c.state}`);
    li.dataset.conversation = c.conversation;
    li.classList.toggle("mine", Boolean(c.mine));
    li.classList.toggle("selected", open?.id === c.conversation);
    li.classList.toggle("unread", unread.has(c.conversation));

    const openButton = el("button", "open-item");
    if (open?.id === c.conversation) openButton.setAttribute("aria-current", "true");
    openButton.append(el("span", "service", f.service || "Servizio non indicato"));
    if (f.addons?.length) openButton.append(el("span", "detail", `Upgrade: ${f.addons.join(", ")}`));
    const money = [f.expiry && `Scadenza ${day(f.expiry)}`, f.quote && `Preventivo ${f.quote}`].filter(Boolean);
    if (money.length) openButton.append(el("span", "detail", money.join(" · ")));
    openButton.append(c.asked ? el("span", "asked", `«${c.asked}»`) : el("span", "asked none", "Nessuna domanda registrata"));

    const meta = el("span", "meta");
    const wait = el("span", "wait");
    wait.dataset.since = String(c.since);
    wait.dataset.prefix = c.state === "queued" ? "in attesa da " : "in chat da ";
    drawWait(wait);
    meta.append(wait, el("span", `badge ${c.mine ? "mine" : c.state}`, stateLabel(c)));
    if (CHANNELS[c.channel]) meta.append(el("span", "channel", CHANNELS[c.channel]));
    if (unread.has(c.conversation)) meta.append(el("span", "badge new", "Nuovo messaggio"));
    openButton.append(meta);
    li.append(openButton);
    if (c.state === "queued") li.append(el("button", "take primary", "Prendi"));
    return li;
  }

  function drawWait(node) {
    const since = Number(node.dataset.since);
    if (!Number.isFinite(since)) { node.textContent = ""; return; }
    node.textContent = node.dataset.prefix + waited(since);
    node.classList.toggle("late", node.dataset.prefix.startsWith("in attesa") && Date.now() - since > LATE_MS);
  }

  // Display only: the waiting times move on without asking the server.
  setInterval(() => document.querySelectorAll(".wait[data-since]").forEach(drawWait), 15000);

  $("queue").addEventListener("click", (event) => {
    const item = event.target.closest("[data-conversation]");
    const take = event.target.closest(".take");
    if (take) { take.disabled = true; act(item.dataset.conversation, "take"); }
    else if (event.target.closest(".open-item")) openConversation(item.dataset.conversation);
  });

  // --- the open conversation ------------------------------------------------------------
  async function openConversation(id) {
    const switching = open?.id !== id;
    if (switching) {
      open = { id, data: null, keys: new Set(), early: [] };
      chosen.clear();
      $("reply").value = drafts.get(id) || "";
      $("log").replaceChildren();
    }
    unread.delete(id);
    renderQueue();
    try {
      const data = await api("GET", `/conversations/${enc(id)}`);
      if (open?.id !== id) return;           // the agent opened another one meanwhile
      open.data = data;
      renderConversation(switching);
    } catch (err) { if (open?.id === id) fail(err); }
  }

  function renderConversation(switching) {
    const d = open.data;
    $("no-selection").hidden = true;
    $("conversation").hidden = false;
    $("conv-title").textContent = `Conversazione ${d.conversation || open.id}`;
    const log = $("log");
    const atBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 60;
    renderFacts(d.facts || {});
    // Only the lines not shown yet: a reload does not redraw (nor re-announce) the log.
    for (const line of [...(d.lines || []), ...open.early.splice(0)]) appendLine(line);
    renderQuick(d.quick_replies || []);
    renderControls();
    // Last: the reply box, once shown, takes height from the log.
    if (switching || atBottom) log.scrollTop = log.scrollHeight;
  }

  function renderControls() {
    const d = open.data;
    const mine = d.state === "taken" && d.mine;
    const badge = $("conv-state");
    badge.textContent = stateLabel(d);
    badge.className = `badge ${mine ? "mine" : d.state}`;
    $("take-open").hidden = d.state !== "queued";
    $("take-open").disabled = false;
    $("composer").hidden = !mine;
    const note = $("conv-note");
    note.textContent = d.state === "queued" ? "Il cliente aspetta un operatore: prendi la conversazione per rispondere."
      : d.state === "taken" && !mine ? `${stateLabel(d)}: puoi solo leggerla.`
      : mine ? "" : "La conversazione non è più in carico a un operatore.";
    note.hidden = !note.textContent;
  }

  function renderFacts(f) {
    const rows = [
      ["Servizio", f.service], ["Upgrade", (f.addons || []).join(", ")], ["Scadenza", day(f.expiry)],
      ["Preventivo", f.quote], ["Regola applicata", f.rule], ["Email di contatto", f.contact_email],
      ["Richiesta", f.request],
    ];
    const list = $("facts");
    list.replaceChildren();
    for (const [label, value] of rows) {
      const row = el("div", value ? "fact" : "fact empty");
      row.append(el("dt", "", label), el("dd", "", value || "—"));
      list.append(row);
    }
    if (f.customer_language) {
      const code = String(f.customer_language).toLowerCase();
      const name = LANGUAGES[code] || f.customer_language;
      const row = el("div", code === "it" ? "fact" : "fact language");
      row.append(el("dt", "", "Lingua del cliente"), el("dd", "", code === "it" ? name : `${name} — rispondi in ${name}`));
      list.append(row);
    }
  }

  const lineKey = (line) => `${Date.parse(line.time)}|${line.speaker}|${line.text}`;

  function appendLine(line) {
    const key = lineKey(line);
    if (open.keys.has(key)) return;          // already shown (from the event and the reload)
    open.keys.add(key);
    const log = $("log");
    const atBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 60;
    const li = el("li", `line from-${line.speaker}`);
    const by = el("span", "by");
    const who = line.speaker === "operatore" && line.agent ? `Operatore · ${line.agent}` : SPEAKERS[line.speaker] || line.speaker;
    const time = el("time", "", hhmm(line.time));
    time.dateTime = line.time || "";
    by.append(`${who} · `, time);
    li.append(by, el("span", "text", line.text));
    log.append(li);
    if (atBottom) log.scrollTop = log.scrollHeight;
  }

  function renderQuick(replies) {
    const chips = $("quick-chips");
    chips.replaceChildren();
    $("quick").hidden = replies.length === 0;
    for (const reply of replies) {
      const chip = el("button", "chip", reply.title);
      chip.title = `Allega il pulsante «${reply.title}»`;
      chip.setAttribute("aria-pressed", String(chosen.has(reply.payload)));
      chip.addEventListener("click", () => {
        if (chosen.has(reply.payload)) chosen.delete(reply.payload); else chosen.add(reply.payload);
        chip.setAttribute("aria-pressed", String(chosen.has(reply.payload)));
      });
      chips.append(chip);
    }
  }

  // --- the agent's actions --------------------------------------------------------------
  async function send() {
    if (!open?.data || sending) return;
    const id = open.id;
    const text = $("reply").value.trim();
    if (!text) { status("Scrivi la risposta prima di inviarla.", "error"); return; }
    const buttons = (open.data.quick_replies || [])
      .filter((r) => chosen.has(r.payload)).map(({ title, payload }) => ({ title, payload }));
    sending = true;
    $("send").disabled = true;
    try {
      await api("POST", `/conversations/${enc(id)}/reply`, buttons.length ? { text, buttons } : { text });
      drafts.delete(id);
      if (open?.id === id) {
        $("reply").value = "";
        chosen.clear();
        // The reply shows as the server stored it (its `message` event adds no duplicate:
        // lines are keyed), and the chips come back unpressed.
        openConversation(id);
      }
    } catch (err) { fail(err); } finally {
      sending = false;
      $("send").disabled = false;
    }
  }

  const DONE = { take: "Conversazione presa in carico.", "hand-back": "Conversazione restituita all'assistente.",
    close: "Conversazione chiusa." };

  async function act(id, action) {
    const buttons = ["take-open", "hand-back", "close"].map($);
    buttons.forEach((b) => { b.disabled = true; });
    try {
      await api("POST", `/conversations/${enc(id)}/${action}`);
      status(DONE[action]);
      if (action === "take") {
        await openConversation(id);
        if (open?.id === id && !$("composer").hidden) $("reply").focus();
      } else if (open?.id === id && open.data) {
        // Handed back or closed: no longer an agent's; the server may not show it any more.
        open.data = { ...open.data, state: action === "close" ? "closed" : "handed_back", mine: false };
        renderControls();
      }
    } catch (err) {
      fail(err);
      if (open?.id === id && action === "take") openConversation(id);
    } finally {
      buttons.forEach((b) => { b.disabled = false; });
      loadQueue();
    }
  }

  $("composer").addEventListener("submit", (event) => { event.preventDefault(); send(); });
  $("reply").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) { event.preventDefault(); send(); }
  });
  $("reply").addEventListener("input", () => { if (open) drafts.set(open.id, $("reply").value); });
  $("take-open").addEventListener("click", () => { if (open) act(open.id, "take"); });
  for (const action of ["hand-back", "close"]) $(action).addEventListener("click", () => { if (open) act(open.id, action); });

  // --- live updates ---------------------------------------------------------------------
  function listen(name, handler) {
    events.addEventListener(name, (event) => {
      let data;
      try { data = JSON.parse(event.data || "{}"); } catch {
        return status(`Aggiornamento "${name}" non leggibile dal server.`, "error");
      }
      handler(data);
    });
  }

  function startEvents() {
    stopEvents();
    events = new EventSource(`${API}/events`);
    events.addEventListener("open", () => {
      // After a reconnect something may have been missed: fetch once what is on screen.
      if (connectedOnce) {
        status("Connessione ripristinata.");
        loadQueue();
        if (open) openConversation(open.id);
      }
      connectedOnce = true;
    });
    events.addEventListener("error", () => {
      if (!events) return;
      if (events.readyState !== EventSource.CLOSED) {
        status("Connessione con il server persa: riconnessione in corso…", "error");
        return;
      }
      // The server refused the stream (EventSource gives up): the session may have ended.
      stopEvents();
      api("GET", "/me").then((data) => {
        me.csrf = data.csrf || me.csrf;
        status("Aggiornamenti in tempo reale interrotti: nuovo tentativo tra 10 s.", "error");
      }, fail).finally(() => { if (me.name) retryTimer = setTimeout(startEvents, 10000); });
    });
    listen("queue", () => loadQueue());
    listen("message", ({ conversation, line }) => {
      if (!line) return;
      if (open?.id !== conversation) { unread.add(conversation); renderQueue(); }
      else if (open.data) appendLine(line);
      else open.early.push(line);            // still loading: shown once it is drawn
    });
    listen("ended", ({ conversation }) => {
      unread.delete(conversation);
      // Not when this console just handed it back or closed it: that note is more precise.
      if (open?.id === conversation && ["queued", "taken"].includes(open.data?.state)) {
        open.data = { ...open.data, state: "ended", mine: false };
        renderControls();
        status("La conversazione aperta è terminata.");
      }
      loadQueue();
    });
  }

  function stopEvents() {
    clearTimeout(retryTimer);
    events?.close();
    events = null;
  }

  // --- start ----------------------------------------------------------------------------
  api("GET", "/me").then(signedIn, (err) => signedOut(err.status === 401 ? "" : err.message, "error"));
})();
