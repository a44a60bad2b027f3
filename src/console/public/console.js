// The counsellor console: plain modules, no framework and no CDN, so it runs from the bot's own server
// on a laptop or a phone. Every text from a person is put on the page with textContent, never as HTML.
import { act, api, ApiError, explain, flash, sessionHooks } from "./api.js";
import { $, handlers, state } from "./state.js";
import { setupLanguagePicker, t } from "./texts.js";
import { entryId, renderConversation, renderQueue, transcriptItem } from "./views.js";

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

async function refreshQueue() {
  try {
    state.queue = await api("/queue");
    renderQueue();
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 401)) flash(explain(error), "error");
  }
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
    if (!state.session) return events.close();
    // A refused reconnect (the server ended the stream because the session ended) is not retried by
    // the browser: ask whether the session lives; a 401 shows the login, anything else tries again.
    if (events.readyState !== EventSource.CLOSED) return;
    void api("/session")
      .then(
        () => true,
        (error) => !(error instanceof ApiError && error.status === 401),
      )
      .then((again) => {
        if (again && state.session && state.events === events) setTimeout(connectEvents, 5000);
      });
  });
  events.addEventListener("handoff", (message) => {
    const event = JSON.parse(message.data);
    void refreshQueue();
    // Someone new is waiting: a counsellor in another tab sees it in the tab's title.
    if (event.to === "pending" && document.hidden) document.title = `● ${t("waiting")} — ${t("app_title")}`;
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
  // The person erased their data: nothing of the case is kept, so nothing of it stays on the screen.
  events.addEventListener("erased", (message) => {
    const { conversationKey } = JSON.parse(message.data);
    void refreshQueue();
    if (state.current?.conversation.key !== conversationKey) return;
    state.current = null;
    for (const id of ["facts", "summary", "transcript", "canned", "notes", "history"]) $(id).replaceChildren();
    $("case").hidden = true;
    $("empty").textContent = t("erased_by_person");
    $("empty").hidden = false;
    history.replaceState(null, "", location.pathname);
    flash(t("erased_by_person"));
  });
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
  $("move-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const country = $("move-to").value.trim().toUpperCase();
    void act(async () => {
      await api(`/conversations/${encodeURIComponent(currentKey())}/transfer`, {
        method: "POST",
        body: { country },
      });
      $("move-to").value = "";
      await reloadCurrent().catch(() => undefined);
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
  handlers.open = openConversation;
  sessionHooks.ended = endSession;
  wire();
  await setupLanguagePicker(() => {
    renderQueue();
    if (state.current) renderConversation(state.current);
  });
  try {
    const session = await fetch("/console/api/session", { credentials: "same-origin" });
    if (session.ok) return await startDesk(await session.json());
  } catch {
    // Not signed in (or the bot is still starting): the login form is the way in.
  }
  showLogin();
}

void main();
