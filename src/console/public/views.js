// Drawing the lists and the conversation. Text from people always goes in with textContent.
import { $, element, handlers, state } from "./state.js";
import { countryName, languageName, t } from "./texts.js";

export function caseItem(entry, detail) {
  const badges = [];
  if (entry.safety) badges.push(element("span", { className: "badge safety", text: t("safety") }));
  if (entry.priority === "high") badges.push(element("span", { className: "badge urgent", text: t("priority_high") }));
  if (entry.forYou) badges.push(element("span", { className: "badge for-you", text: t("for_you") }));
  // Identical safety cases from one sender come as one line; each of them is still a case (floodKeys).
  if (entry.floodCount > 1) {
    const text = t(entry.floodSuspect ? "possible_flood" : "same_sender", { count: entry.floodCount });
    badges.push(element("span", { className: entry.floodSuspect ? "badge flood" : "badge", text }));
  }
  if (entry.status === "open" && entry.unansweredSince) {
    const minutes = Math.max(0, Math.round((Date.now() - Date.parse(entry.unansweredSince)) / 60000));
    badges.push(element("span", { className: "badge unanswered", text: t("unanswered", { minutes }) }));
  }
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
  button.addEventListener("click", () => void handlers.open(entry.conversationKey));
  const item = element(
    "li",
    { className: state.current?.conversation.key === entry.conversationKey ? "current" : "" },
    [button],
  );
  return item;
}

export function fill(list, items) {
  $(list).replaceChildren(
    ...(items.length > 0 ? items : [element("li", { className: "muted", text: t("nothing_here") })]),
  );
}

export function renderQueue() {
  const { queue, held } = state.queue;
  $("waiting-count").textContent = queue.length > 0 ? ` (${String(queue.length)})` : "";
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

export function transcriptItem(entry) {
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

export function renderConversation(view) {
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
  $("move-form").hidden = !(status === "open" && me.role === "supervisor");
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

export function entryId(entry) {
  return `${entry.at}|${entry.from}|${entry.text}`;
}
