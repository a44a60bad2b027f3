// The counsellor console: plain modules, no framework and no CDN, so it runs from the bot's own server
// on a laptop or a phone. Every text from a person is put on the page with textContent, never as HTML.

const languages = ["eng", "ben", "urd", "fas", "pus", "ara", "rus", "tgk", "uzb"];
const outcomes = ["information-given", "referred-to-service", "follow-up-needed", "emergency-referral"];

const state = {
  texts: {},
  english: {},
  session: null,
  current: null,
  queue: { queue: [], held: [] },
  events: null,
  /** Language codes to their own names ("ben" → "বাংলা"), from the interface's translation files. */
  languageNames: {},
};

const $ = (id) => document.getElementById(id);

function t(key, values = {}) {
  const template = state.texts[key] ?? state.english[key] ?? key;
  return template.replace(/\{([a-z_]+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
}

function element(tag, options = {}, children = []) {
  const node = document.createElement(tag);
  if (options.text !== undefined) node.textContent = options.text;
  if (options.className) node.className = options.className;
  for (const [name, value] of Object.entries(options.attrs ?? {})) node.setAttribute(name, value);
  for (const child of children) if (child) node.append(child);
  return node;
}

async function loadTexts(lang) {
  const fetchTexts = async (code) => {
    const response = await fetch(`/console/i18n/${code}.json`);
    return response.ok ? response.json() : {};
  };
  if (!state.english.app_title) state.english = await fetchTexts("eng");
  state.texts = lang === "eng" ? state.english : await fetchTexts(lang);
  const meta = state.texts._meta ?? state.english._meta;
  document.documentElement.lang = lang;
  document.documentElement.dir = meta?.dir ?? "ltr";
  for (const node of document.querySelectorAll("[data-text]")) node.textContent = t(node.dataset.text);
  for (const node of document.querySelectorAll("[data-placeholder]")) node.placeholder = t(node.dataset.placeholder);
  document.title = t("app_title");
  const outcome = $("outcome");
  outcome.replaceChildren(
    ...outcomes.map((id) => element("option", { text: t(`outcome_${id}`), attrs: { value: id } })),
  );
}

async function setupLanguagePicker() {
  const saved = localStorage.getItem("rahnama.console.lang");
  const browser = navigator.language.slice(0, 2);
  const fromBrowser = {
    en: "eng",
    bn: "ben",
    ur: "urd",
    fa: "fas",
    ps: "pus",
    ar: "ara",
    ru: "rus",
    tg: "tgk",
    uz: "uzb",
  };
  const lang = languages.includes(saved) ? saved : (fromBrowser[browser] ?? "eng");
  const picker = $("ui-lang");
  const names = await Promise.all(
    languages.map(async (code) => {
      const response = await fetch(`/console/i18n/${code}.json`);
      const texts = response.ok ? await response.json() : null;
      return texts ? [code, texts._meta?.language ?? code] : null;
    }),
  );
  state.languageNames = Object.fromEntries(names.filter(Boolean));
  picker.replaceChildren(
    ...names.filter(Boolean).map(([code, name]) => element("option", { text: name, attrs: { value: code } })),
  );
  picker.value = lang;
  picker.addEventListener("change", async () => {
    localStorage.setItem("rahnama.console.lang", picker.value);
    await loadTexts(picker.value);
    renderQueue();
    if (state.current) renderConversation(state.current);
  });
  await loadTexts(lang);
}

class ApiError extends Error {
  constructor(status, body) {
    super(body?.error?.message ?? body?.message ?? `HTTP ${status}`);
    this.status = status;
    this.code = body?.error?.code ?? body?.code ?? null;
  }
}

async function api(path, options = {}) {
  const headers = { accept: "application/json" };
  if (options.body !== undefined) headers["content-type"] = "application/json";
  if (options.method && options.method !== "GET" && state.session) headers["x-csrf-token"] = state.session.csrf;
  const response = await fetch(`/console/api${path}`, {
    method: options.method ?? "GET",
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    credentials: "same-origin",
  });
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    if (response.status === 401 && state.session) endSession();
    throw new ApiError(response.status, body);
  }
  return body;
}

let flashTimer = null;
function flash(message, kind = "info") {
  const node = $("flash");
  node.textContent = message;
  node.className = `flash ${kind}`;
  node.hidden = false;
  clearTimeout(flashTimer);
  flashTimer = setTimeout(() => (node.hidden = true), 6000);
}

function explain(error) {
  if (error instanceof ApiError) {
    if (error.status === 409) return t("conflict");
    if (error.status === 403) return t("forbidden");
    if (error.status === 401) return t("session_ended");
  }
  return t("error", { message: error.message });
}

/** Runs a console action and says what went wrong: a refused action must never fail silently. */
async function act(action, done) {
  try {
    await action();
    if (done) flash(done, "ok");
  } catch (error) {
    flash(explain(error), "error");
  }
}

function showLogin() {
  $("login-view").hidden = false;
  $("desk-view").hidden = true;
  $("logout").hidden = true;
  $("who").textContent = "";
  $("live").hidden = true;
}

function endSession() {
  state.session = null;
  state.current = null;
  state.events?.close();
  state.events = null;
  showLogin();
  flash(t("session_ended"), "error");
}

async function startDesk(session) {
  state.session = session;
  $("login-view").hidden = true;
  $("desk-view").hidden = false;
  $("logout").hidden = false;
  $("who").textContent = t("signed_in_as", { name: session.account.name });
  connectEvents();
  await refreshQueue();
  const key = new URLSearchParams(location.hash.slice(1)).get("c");
  if (key) await openConversation(key);
}

function languageName(code) {
  return code ? (state.languageNames[code] ?? code) : t("unknown");
}

function countryName(code) {
  if (!code) return t("unknown");
  try {
    return new Intl.DisplayNames([document.documentElement.lang, "en"], { type: "region" }).of(code) ?? code;
  } catch {
    return code;
  }
}

function caseItem(entry, detail) {
  const badges = [];
  if (entry.safety) badges.push(element("span", { className: "badge safety", text: t("safety") }));
  if (entry.priority === "high") badges.push(element("span", { className: "badge urgent", text: t("priority_high") }));
  if (entry.forYou) badges.push(element("span", { className: "badge for-you", text: t("for_you") }));
  const button = element(
    "button",
    { className: "case-button", attrs: { type: "button", "data-key": entry.conversationKey } },
    [
      element("span", { className: "badges" }, badges),
      element("span", {
        className: "case-line",
        text: [languageName(entry.lang), countryName(entry.country), entry.channel, entry.topic ?? ""]
          .filter(Boolean)
          .join(" · "),
      }),
      element("span", { className: "case-detail", text: detail }),
    ],
  );
  button.addEventListener("click", () => void openConversation(entry.conversationKey));
  const item = element(
    "li",
    { className: state.current?.conversation.key === entry.conversationKey ? "current" : "" },
    [button],
  );
  return item;
}

function fill(list, items) {
  $(list).replaceChildren(
    ...(items.length > 0 ? items : [element("li", { className: "muted", text: t("nothing_here") })]),
  );
}

function renderQueue() {
  const { queue, held } = state.queue;
  const me = state.session?.account.id;
  fill(
    "queue",
    queue.map((entry) =>
      caseItem(entry, `#${entry.position} · ${t("waiting_for", { minutes: Math.round(entry.waitingSeconds / 60) })}`),
    ),
  );
  if (queue.length === 0) $("queue").replaceChildren(element("li", { className: "muted", text: t("nothing_waiting") }));
  const when = (iso) =>
    new Date(iso).toLocaleString(document.documentElement.lang, { dateStyle: "short", timeStyle: "short" });
  fill(
    "mine",
    held.filter((entry) => entry.status === "open" && entry.assignee === me).map((entry) => caseItem(entry, "")),
  );
  fill(
    "follow-ups",
    held
      .filter((entry) => entry.status === "snoozed")
      .map((entry) =>
        caseItem(
          entry,
          `${t("until", { time: entry.until ? when(entry.until) : "" })} · ${t("held_by", { name: entry.assignee ?? "" })}`,
        ),
      ),
  );
  fill(
    "others",
    held
      .filter((entry) => entry.status === "open" && entry.assignee !== me)
      .map((entry) => caseItem(entry, t("held_by", { name: entry.assignee ?? "" }))),
  );
}

async function refreshQueue() {
  try {
    state.queue = await api("/queue");
    renderQueue();
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 401)) flash(explain(error), "error");
  }
}

function transcriptItem(entry) {
  const who = { user: t("from_user"), bot: t("from_bot"), counsellor: t("from_counsellor"), system: t("from_system") }[
    entry.from
  ];
  const time = new Date(entry.at).toLocaleTimeString(document.documentElement.lang, { timeStyle: "short" });
  const parts = [
    element("span", { className: "meta", text: `${who} · ${time}${entry.intent ? ` · ${entry.intent}` : ""}` }),
    // dir=auto: each message keeps its own direction whatever the console's language is.
    element("p", { className: "text", text: entry.text, attrs: { dir: "auto" } }),
  ];
  if (entry.citations?.length)
    parts.push(element("span", { className: "meta", text: `${t("sources")}: ${entry.citations.join(", ")}` }));
  if (entry.media?.length)
    parts.push(
      element("span", { className: "meta", text: t("media", { kinds: entry.media.map((m) => m.kind).join(", ") }) }),
    );
  return element("li", { className: `from-${entry.from}` }, parts);
}

function renderConversation(view) {
  const { conversation, transcript, summary, canned, notes, history } = view;
  const me = state.session.account;
  $("empty").hidden = true;
  $("case").hidden = false;
  document.body.classList.add("reading");
  const status = conversation.handoff.status;
  const facts = [
    [
      t("status"),
      `${t(`status_${status}`)}${conversation.handoff.assignee ? ` · ${t("held_by", { name: conversation.handoff.assignee })}` : ""}`,
    ],
    [t("language"), languageName(conversation.lang)],
    [
      t("country"),
      conversation.country ? `${countryName(conversation.country)} (${conversation.country})` : t("unknown"),
    ],
    [t("channel"), conversation.channel],
  ];
  if (conversation.safety) facts.unshift([t("safety"), "⚠"]);
  $("facts").replaceChildren(
    ...facts.flatMap(([name, value]) => [element("dt", { text: name }), element("dd", { text: value })]),
  );

  const summaryParts = [];
  if (summary.asked.length) {
    summaryParts.push(
      element("h4", { text: t("asked") }),
      element(
        "ul",
        {},
        summary.asked.map((text) => element("li", { text, attrs: { dir: "auto" } })),
      ),
    );
  }
  if (summary.topics.length)
    summaryParts.push(element("p", { text: `${t("topics_seen")}: ${summary.topics.join(", ")}` }));
  if (summary.leaflets.length) {
    summaryParts.push(
      element("p", {
        text: `${t("leaflets_given")}: ${summary.leaflets.map((leaflet) => leaflet.title).join("; ")}`,
        attrs: { dir: "auto" },
      }),
    );
  }
  summaryParts.push(
    element("p", { className: "muted", text: t("user_messages", { count: summary.messagesFromUser }) }),
  );
  $("summary").replaceChildren(...summaryParts);

  $("transcript").replaceChildren(...transcript.map(transcriptItem));
  $("transcript").lastElementChild?.scrollIntoView({ block: "nearest" });

  const holding = status === "open" && (conversation.handoff.assignee === me.id || me.role === "supervisor");
  $("claim").hidden = !(status === "pending" || status === "snoozed");
  $("reply-form").hidden = !holding;
  $("handling").hidden = !(
    holding ||
    (status === "snoozed" && (conversation.handoff.assignee === me.id || me.role === "supervisor"))
  );
  $("transfer-form").hidden = status !== "open";
  $("release").hidden = status !== "open";
  $("snooze-form").hidden = status !== "open";

  $("canned").replaceChildren(
    ...canned.map((reply) => {
      const use = element("button", { text: t("use"), attrs: { type: "button" } });
      use.addEventListener("click", () => {
        $("reply-text").value = reply.text;
        $("reply-text").focus();
      });
      return element("li", {}, [
        element("strong", { text: reply.title, attrs: { dir: "auto" } }),
        element("p", { text: reply.text, attrs: { dir: "auto" } }),
        use,
      ]);
    }),
  );
  $("notes").replaceChildren(
    ...notes.map((note) =>
      element("li", {}, [
        element("span", {
          className: "meta",
          text: `${note.by} · ${new Date(note.at).toLocaleString(document.documentElement.lang)}`,
        }),
        element("p", { text: note.text, attrs: { dir: "auto" } }),
      ]),
    ),
  );
  $("history").replaceChildren(
    ...history.map((event) =>
      element("li", {
        text: `${new Date(event.at).toLocaleString(document.documentElement.lang)} · ${event.from} → ${event.to} · ${event.by}${event.outcome ? ` · ${event.outcome}` : ""}`,
      }),
    ),
  );
}

async function openConversation(key) {
  await act(async () => {
    const view = await api(`/conversations/${encodeURIComponent(key)}`);
    state.current = view;
    history.replaceState(null, "", `#c=${encodeURIComponent(key)}`);
    renderConversation(view);
    renderQueue();
  });
}

async function reloadCurrent() {
  if (!state.current) return;
  const view = await api(`/conversations/${encodeURIComponent(state.current.conversation.key)}`);
  state.current = view;
  renderConversation(view);
}

function entryId(entry) {
  return `${entry.at}|${entry.from}|${entry.text}`;
}

function connectEvents() {
  state.events?.close();
  const events = new EventSource("/console/api/events");
  state.events = events;
  const live = $("live");
  events.addEventListener("ready", () => {
    live.hidden = false;
    live.textContent = t("live");
    live.className = "live on";
    // Whatever happened while the connection was down (a bot restart, a phone asleep) is fetched again.
    void refreshQueue();
    void reloadCurrent().catch(() => undefined);
  });
  events.addEventListener("error", () => {
    live.hidden = false;
    live.textContent = t("reconnecting");
    live.className = "live off";
    if (!state.session) events.close();
  });
  events.addEventListener("handoff", (message) => {
    const event = JSON.parse(message.data);
    void refreshQueue();
    if (state.current?.conversation.key === event.conversationKey) void reloadCurrent().catch(() => undefined);
  });
  events.addEventListener("message", (message) => {
    const { conversationKey, entries } = JSON.parse(message.data);
    if (state.current?.conversation.key !== conversationKey) return;
    // An entry stored while the conversation was being fetched comes both ways: show it once.
    const shown = new Set(state.current.transcript.map(entryId));
    const fresh = entries.filter((entry) => !shown.has(entryId(entry)));
    state.current.transcript.push(...fresh);
    for (const entry of fresh) $("transcript").append(transcriptItem(entry));
    $("transcript").lastElementChild?.scrollIntoView({ block: "nearest" });
    if (entries.some((entry) => entry.from === "user") && document.hidden)
      document.title = `● ${t("new_message")} — ${t("app_title")}`;
  });
  events.addEventListener("activity", () => void refreshQueue());
}

function currentKey() {
  return state.current?.conversation.key;
}

function wire() {
  $("login-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = new FormData(event.target);
    $("login-error").hidden = true;
    try {
      const session = await api("/login", {
        method: "POST",
        body: { id: form.get("id"), password: form.get("password") },
      });
      event.target.reset();
      await startDesk(session);
    } catch (error) {
      $("login-error").textContent = error.status === 429 ? t("login_limited") : t("login_failed");
      $("login-error").hidden = false;
    }
  });
  $("logout").addEventListener("click", () =>
    act(async () => {
      await api("/logout", { method: "POST", body: {} });
      state.session = null;
      state.events?.close();
      showLogin();
    }),
  );
  $("claim").addEventListener("click", () =>
    act(async () => {
      await api(`/conversations/${encodeURIComponent(currentKey())}/claim`, { method: "POST", body: {} });
      await reloadCurrent();
      await refreshQueue();
    }),
  );
  $("take-next").addEventListener("click", () =>
    act(async () => {
      const next = state.queue.queue.find((entry) => entry.forYou) ?? state.queue.queue[0];
      if (!next) return flash(t("nothing_waiting"));
      await api(`/conversations/${encodeURIComponent(next.conversationKey)}/claim`, { method: "POST", body: {} });
      await openConversation(next.conversationKey);
      await refreshQueue();
    }),
  );
  $("reply-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const text = $("reply-text").value.trim();
    if (!text) return;
    void act(async () => {
      await api(`/conversations/${encodeURIComponent(currentKey())}/reply`, { method: "POST", body: { text } });
      $("reply-text").value = "";
    }, t("sent"));
  });
  $("note-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const text = $("note-text").value.trim();
    if (!text) return;
    void act(async () => {
      await api(`/conversations/${encodeURIComponent(currentKey())}/notes`, { method: "POST", body: { text } });
      $("note-text").value = "";
      await reloadCurrent();
    }, t("saved"));
  });
  $("resolve-form").addEventListener("submit", (event) => {
    event.preventDefault();
    void act(async () => {
      await api(`/conversations/${encodeURIComponent(currentKey())}/resolve`, {
        method: "POST",
        body: { outcome: $("outcome").value },
      });
      await reloadCurrent();
      await refreshQueue();
    }, t("saved"));
  });
  $("snooze-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const until = new Date($("snooze-at").value);
    void act(async () => {
      await api(`/conversations/${encodeURIComponent(currentKey())}/snooze`, {
        method: "POST",
        body: { until: until.toISOString() },
      });
      await reloadCurrent();
      await refreshQueue();
    }, t("saved"));
  });
  $("transfer-form").addEventListener("submit", (event) => {
    event.preventDefault();
    void act(async () => {
      await api(`/conversations/${encodeURIComponent(currentKey())}/transfer`, {
        method: "POST",
        body: { to: $("transfer-to").value.trim() },
      });
      await reloadCurrent();
      await refreshQueue();
    }, t("saved"));
  });
  $("release").addEventListener("click", () =>
    act(async () => {
      await api(`/conversations/${encodeURIComponent(currentKey())}/release`, { method: "POST", body: {} });
      await reloadCurrent();
      await refreshQueue();
    }),
  );
  $("back").addEventListener("click", () => {
    document.body.classList.remove("reading");
    state.current = null;
    $("case").hidden = true;
    $("empty").hidden = false;
    history.replaceState(null, "", location.pathname);
  });
  document.addEventListener("visibilitychange", () => {
    if (!document.hidden) document.title = t("app_title");
  });
  // Waiting times tick on even when nothing else changes.
  setInterval(() => state.session && void refreshQueue(), 60_000);
}

async function main() {
  wire();
  await setupLanguagePicker();
  try {
    const session = await fetch("/console/api/session", { credentials: "same-origin" });
    if (session.ok) return await startDesk(await session.json());
  } catch {
    // Not signed in (or the bot is still starting): the login form is the way in.
  }
  showLogin();
}

void main();
