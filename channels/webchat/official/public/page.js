// The official Bot Framework Web Chat, connected to this server's own Direct Line endpoint (no Azure,
// no CDN). Plain browser JavaScript without a build step, like the small widget.
(function () {
  "use strict";

  var host = document.getElementById("webchat");
  var WebChat = window.WebChat;

  function escapeMarkdown(text) {
    return String(text).replace(/([\\[\]()*_`])/g, "\\$1");
  }

  function safeUrl(url) {
    return String(url).replace(/\(/g, "%28").replace(/\)/g, "%29").replace(/\s/g, "%20");
  }

  // Our replies name the leaflet in their text and carry its public sources in channelData.rahnama;
  // Web Chat does not know that field, so the sources are added to the text as Markdown links.
  function withSourceLinks(activity) {
    var rahnama = activity && activity.channelData && activity.channelData.rahnama;
    if (!rahnama || !Array.isArray(rahnama.citations) || activity.from.role !== "bot") return activity;
    var seen = {};
    var lines = [];
    rahnama.citations.forEach(function (citation) {
      (citation.sources || []).forEach(function (source) {
        if (!source.url || !/^https?:\/\//.test(source.url) || seen[source.url]) return;
        seen[source.url] = true;
        var title = source.date ? source.title + " (" + source.date + ")" : source.title;
        lines.push("- [" + escapeMarkdown(title) + "](" + safeUrl(source.url) + ")");
      });
    });
    if (lines.length === 0) return activity;
    return Object.assign({}, activity, { text: (activity.text || "") + "\n\n" + lines.join("\n") });
  }

  // A number to call starts a contact line, after 🚨 or ☎ and before " — " ("🚨 999 — …"). A copy of
  // channels/shared/phone-links.ts, which is the reference. Web Chat's Markdown sanitiser allows tel: links;
  // they are added here rather than in the Direct Line text, which the small widget shows as it is.
  var CONTACT_NUMBER = /^([🚨☎]\uFE0F? )(\+?\(?\d[\d ().-]*\d)(?= — )/gmu;

  function withPhoneLinks(activity) {
    if (!activity || activity.from.role !== "bot" || typeof activity.text !== "string") return activity;
    var text = activity.text.replace(CONTACT_NUMBER, function (_line, icon, number) {
      var uri = "tel:" + (number.charAt(0) === "+" ? "+" : "") + number.replace(/\D/g, "");
      return icon + "[" + escapeMarkdown(number) + "](" + uri + ")";
    });
    return text === activity.text ? activity : Object.assign({}, activity, { text: text });
  }

  var store = WebChat.createStore({}, function () {
    return function (next) {
      return function (action) {
        if (action.type === "DIRECT_LINE/INCOMING_ACTIVITY") {
          var activity = withSourceLinks(withPhoneLinks(action.payload.activity));
          if (activity !== action.payload.activity) {
            action = Object.assign({}, action, { payload: Object.assign({}, action.payload, { activity: activity }) });
          }
        }
        return next(action);
      };
    };
  });

  function fail() {
    host.className = "webchat failed";
    host.textContent = "The chat could not start. Please reload the page in a minute.";
  }

  function postJson(url, token, body) {
    return fetch(url, {
      method: "POST",
      headers: token
        ? { authorization: "Bearer " + token, "content-type": "application/json" }
        : { "content-type": "application/json" },
      body: body ? JSON.stringify(body) : "",
    }).then(function (response) {
      if (!response.ok) throw new Error(url + " " + response.status);
      return response.json();
    });
  }

  var directLineRoot = window.location.origin + "/v3/directline";
  var userId = "user_" + Math.random().toString(36).slice(2, 12);

  // Start the conversation and ask for the greeting (as a postBack, which Web Chat does not show as the
  // person's message) before Web Chat connects, then let it open the stream from the first activity
  // (watermark=0): a greeting sent while its WebSocket was still opening would otherwise be missed.
  postJson(directLineRoot + "/tokens/generate")
    .then(function (session) {
      return postJson(directLineRoot + "/conversations", session.token).then(function (conversation) {
        return postJson(
          directLineRoot + "/conversations/" + conversation.conversationId + "/activities",
          conversation.token,
          {
            type: "message",
            from: { id: userId },
            locale: navigator.language || "en-US",
            value: { action: "intent:greeting" },
            channelData: { postBack: true },
          },
        ).then(function () {
          return conversation;
        });
      });
    })
    .then(function (conversation) {
      WebChat.renderWebChat(
        {
          directLine: WebChat.createDirectLine({
            token: conversation.token,
            conversationId: conversation.conversationId,
            streamUrl: conversation.streamUrl + "&watermark=0",
            domain: directLineRoot,
            webSocket: true,
          }),
          store: store,
          userID: userId,
          locale: navigator.language || "en-US",
          nonce: host.getAttribute("data-style-nonce") || undefined,
          styleOptions: { hideUploadButton: true },
        },
        host,
      );
    })
    .catch(fail);
})();
