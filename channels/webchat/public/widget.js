// Rahnama web chat widget: a small Direct Line 3.0 client. No framework, no CDN: it must load on 2G.
(function () {
  "use strict";
  var API = "/v3/directline";
  var STORE_KEY = "rahnama.directline";
  var RTL = { ur: 1, fa: 1, ps: 1, ar: 1 };
  var UI = {
    en: ["Type your question…", "Send", "Connecting…", "Offline — retrying", "Sources:"],
    bn: ["আপনার প্রশ্ন লিখুন…", "পাঠান", "সংযোগ হচ্ছে…", "অফলাইন — আবার চেষ্টা হচ্ছে", "উৎস:"],
    ur: ["اپنا سوال لکھیں…", "بھیجیں", "رابطہ ہو رہا ہے…", "آف لائن — دوبارہ کوشش", "ماخذ:"],
    fa: ["سؤال خود را بنویسید…", "بفرست", "در حال اتصال…", "آفلاین — تلاش دوباره", "منابع:"],
    ps: ["خپله پوښتنه ولیکئ…", "ولېږئ", "نښلول کېږي…", "آفلاین — بیا هڅه", "سرچینې:"],
    ar: ["اكتب سؤالك…", "إرسال", "جارٍ الاتصال…", "غير متصل — إعادة المحاولة", "المصادر:"],
    ru: ["Напишите вопрос…", "Отправить", "Подключение…", "Нет связи — повторяем", "Источники:"],
    tg: ["Саволи худро нависед…", "Фиристодан", "Пайвастшавӣ…", "Офлайн — кӯшиши дубора", "Манбаъҳо:"],
    uz: ["Savolingizni yozing…", "Yuborish", "Ulanmoqda…", "Oflayn — qayta urinish", "Manbalar:"],
  };
  var $ = function (id) {
    return document.getElementById(id);
  };
  var chat = $("chat"),
    log = $("log"),
    quick = $("quick"),
    form = $("composer"),
    input = $("input"),
    status = $("status");
  var state = load() || {};
  state.watermark = 0; // replay the conversation's history after a reload
  var seen = {},
    pending = new Map(),
    socket = null,
    pollTimer = null,
    retry = 0,
    typingEl = null;
  var ui = UI[primary(navigator.language)] || UI.en;
  applyUi(primary(navigator.language));

  function primary(tag) {
    return String(tag || "en")
      .toLowerCase()
      .split(/[-_]/)[0];
  }
  function load() {
    try {
      return JSON.parse(localStorage.getItem(STORE_KEY));
    } catch {
      return null;
    }
  }
  function save() {
    try {
      localStorage.setItem(STORE_KEY, JSON.stringify(state));
    } catch {
      /* private mode */
    }
  }
  function id() {
    return Math.random().toString(36).slice(2) + Date.now().toString(36);
  }
  function setStatus(text) {
    status.textContent = text || "";
  }

  function applyUi(lang) {
    ui = UI[lang] || ui;
    input.placeholder = ui[0];
    $("send").setAttribute("aria-label", ui[1]);
    var dir = RTL[lang] ? "rtl" : "ltr";
    chat.setAttribute("dir", dir);
    document.documentElement.setAttribute("dir", dir);
    document.documentElement.setAttribute("lang", lang);
  }

  function request(method, path, body) {
    var headers = body ? { "content-type": "application/json" } : {};
    if (state.token) headers.authorization = "Bearer " + state.token;
    return fetch(API + path, { method: method, headers: headers, body: body ? JSON.stringify(body) : undefined }).then(
      function (res) {
        if (!res.ok) {
          var error = new Error("HTTP " + res.status);
          error.status = res.status;
          throw error;
        }
        return res.json();
      },
    );
  }

  function start() {
    setStatus(ui[2]);
    var resume = state.conversationId
      ? request("GET", "/conversations/" + state.conversationId + "?watermark=" + (state.watermark || 0))
      : Promise.reject({ status: 404 });
    resume.then(
      function (conv) {
        connect(conv.streamUrl, false);
      },
      function (error) {
        if (error && error.status && error.status < 500) return fresh();
        setStatus(ui[3]);
        setTimeout(start, backoff());
      },
    );
  }

  function fresh(greet) {
    state = { userId: state.userId || "u-" + id(), watermark: 0 };
    return request("POST", "/conversations").then(
      function (conv) {
        state.conversationId = conv.conversationId;
        state.token = conv.token;
        save();
        connect(conv.streamUrl, greet !== false);
      },
      function () {
        setStatus(ui[3]);
        setTimeout(start, backoff());
      },
    );
  }

  function backoff() {
    retry = Math.min(retry + 1, 6);
    return 1000 * Math.pow(2, retry - 1);
  }

  function connect(streamUrl, greet) {
    var url = streamUrl + (streamUrl.indexOf("?") < 0 ? "?" : "&") + "watermark=" + (state.watermark || 0);
    try {
      socket = new WebSocket(url);
    } catch {
      socket = null;
      return poll();
    }
    socket.onopen = function () {
      retry = 0;
      setStatus("");
      stopPolling();
      fetchMissed();
      if (greet) send("", "intent:greeting");
    };
    socket.onmessage = function (event) {
      if (event.data) receive(JSON.parse(event.data));
    };
    var mine = socket,
      conversationId = state.conversationId;
    socket.onclose = function (event) {
      if (event.code === 4410) {
        if (socket === mine) socket = null;
        return forgetErased(conversationId);
      }
      socket = null;
      if (event.code === 4401 || event.code === 4404) {
        state.conversationId = null;
        save();
        return start();
      }
      // Replaced by a newer stream of this conversation (another tab): reconnecting would only close that
      // one in turn, so this tab reads by polling.
      if (event.code === 4429) return poll();
      setStatus(ui[3]);
      poll();
      setTimeout(function () {
        if (!socket) start();
      }, backoff());
    };
  }

  // The person erased their data (4410, or the answer to their "yes"): this page forgets the conversation,
  // its token and the user id too, and opens a new one without a greeting, so the confirmation stays the
  // last thing said and nothing links what they write next to what was erased.
  function forgetErased(conversationId) {
    if (!conversationId || state.conversationId !== conversationId) return;
    stopPolling();
    if (socket) {
      var old = socket;
      socket = null;
      old.onclose = null;
      old.close();
    }
    state = { watermark: 0 };
    save();
    fresh(false);
  }

  function poll() {
    if (pollTimer) return;
    pollTimer = setInterval(fetchMissed, 3000);
  }
  function stopPolling() {
    clearInterval(pollTimer);
    pollTimer = null;
  }
  function fetchMissed() {
    if (!state.conversationId) return;
    request("GET", "/conversations/" + state.conversationId + "/activities?watermark=" + (state.watermark || 0)).then(
      receive,
      function () {},
    );
  }

  function receive(frame) {
    (frame.activities || []).forEach(show);
    if (frame.watermark !== undefined) {
      state.watermark = Number(frame.watermark);
      save();
    }
  }

  function show(activity) {
    if (activity.type === "typing") return showTyping(true);
    if (activity.type !== "message" || seen[activity.id]) return;
    seen[activity.id] = 1;
    var isBot = activity.from && activity.from.role === "bot";
    if (!isBot) {
      var clientId = activity.channelData && activity.channelData.clientActivityID;
      if (clientId && pending.has(clientId)) {
        pending.get(clientId).classList.remove("pending");
        pending.delete(clientId);
        return;
      }
      if (activity.text) bubble("user", activity.text);
      return;
    }
    showTyping(false);
    var meta = (activity.channelData && activity.channelData.rahnama) || {};
    var lang = primary(activity.locale);
    var el = bubble("bot", activity.text || "", lang);
    if (meta.safety) el.classList.add("safety");
    if (meta.citations && meta.citations.length) el.appendChild(citations(meta.citations));
    applyUi(lang);
    renderQuickReplies((activity.suggestedActions && activity.suggestedActions.actions) || []);
  }

  function bubble(who, text, lang) {
    var li = document.createElement("li");
    li.className = "msg " + who;
    if (lang) {
      li.setAttribute("lang", lang);
      li.setAttribute("dir", RTL[lang] ? "rtl" : "ltr");
    } else li.setAttribute("dir", "auto");
    li.appendChild(formatted(text, who === "bot"));
    log.appendChild(li);
    log.scrollTop = log.scrollHeight;
    return li;
  }

  // Text is inserted as text nodes only: what anyone writes can never become markup. In the bot's
  // replies, the numbers to call become tap-to-call links.
  function formatted(text, withPhoneLinks) {
    text = String(text);
    var numbers = withPhoneLinks ? contactNumbers(text) : [];
    var fragment = document.createDocumentFragment();
    var offset = 0;
    text.split(/(\*\*[^*]+\*\*)/).forEach(function (part) {
      var at = offset;
      offset += part.length;
      if (/^\*\*[^*]+\*\*$/.test(part)) {
        var b = document.createElement("strong");
        appendRun(b, part.slice(2, -2), at + 2, numbers);
        fragment.appendChild(b);
      } else appendRun(fragment, part, at, numbers);
    });
    return fragment;
  }

  // A number to call starts a contact line, after 🚨 or ☎ and before " — " ("🚨 999 — …"). A copy of
  // channels/shared/phone-links.ts, which is the reference: test/e2e/webchat-widget.test.ts checks that
  // both find the same numbers and links.
  var CONTACT_NUMBER = /^([🚨☎]\uFE0F? )(\+?\(?\d[\d ().-]*\d)(?= — )/gmu;
  function contactNumbers(text) {
    var found = [];
    var match;
    CONTACT_NUMBER.lastIndex = 0;
    while ((match = CONTACT_NUMBER.exec(text))) {
      var start = match.index + match[1].length;
      found.push({ start: start, end: start + match[2].length, number: match[2], uri: telUri(match[2]) });
    }
    return found;
  }
  function telUri(number) {
    return "tel:" + (number.charAt(0) === "+" ? "+" : "") + number.replace(/\D/g, "");
  }

  // Appends the run of text that starts at `at` in the message, with the numbers inside it as links.
  function appendRun(parent, text, at, numbers) {
    var cursor = 0;
    numbers.forEach(function (found) {
      if (found.start < at + cursor || found.end > at + text.length) return;
      parent.appendChild(document.createTextNode(text.slice(cursor, found.start - at)));
      var a = document.createElement("a");
      a.className = "tel";
      a.href = found.uri;
      a.textContent = found.number;
      parent.appendChild(a);
      cursor = found.end - at;
    });
    if (cursor < text.length) parent.appendChild(document.createTextNode(text.slice(cursor)));
  }

  function citations(list) {
    var box = document.createElement("span");
    box.className = "cite";
    box.appendChild(document.createTextNode(ui[4] + " "));
    list.forEach(function (citation) {
      (citation.sources || []).forEach(function (source) {
        if (!/^https?:\/\//.test(source.url)) return;
        var a = document.createElement("a");
        a.href = source.url;
        a.target = "_blank";
        a.rel = "noopener noreferrer";
        a.textContent = source.title + (source.date ? " (" + source.date + ")" : "");
        box.appendChild(a);
      });
    });
    return box;
  }

  function showTyping(on) {
    if (on && !typingEl) {
      typingEl = document.createElement("li");
      typingEl.className = "typing";
      typingEl.textContent = "…";
      log.appendChild(typingEl);
    }
    if (!on && typingEl) {
      typingEl.remove();
      typingEl = null;
    }
  }

  function renderQuickReplies(actions) {
    quick.textContent = "";
    actions.forEach(function (action) {
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = action.title;
      button.onclick = function () {
        send(action.title, action.value && action.value.action);
      };
      quick.appendChild(button);
    });
  }

  function send(text, action) {
    if (!state.conversationId) return;
    var clientId = id();
    if (text) {
      var mine = bubble("user", text);
      mine.classList.add("pending");
      pending.set(clientId, mine);
    }
    quick.textContent = "";
    var activity = {
      type: "message",
      from: { id: state.userId },
      text: text,
      locale: navigator.language,
      channelData: { clientActivityID: clientId },
    };
    if (action) activity.value = { action: action };
    var sentIn = state.conversationId;
    return request("POST", "/conversations/" + state.conversationId + "/activities", activity).then(
      function (posted) {
        if (posted && posted.erased) {
          receive({ activities: posted.activities || [] });
          return forgetErased(sentIn);
        }
        if (!socket) fetchMissed();
      },
      function (error) {
        if (pending.has(clientId)) pending.get(clientId).classList.add("failed");
        if (error && (error.status === 403 || error.status === 404)) {
          state.conversationId = null;
          save();
          start();
        }
      },
    );
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text) return;
    input.value = "";
    send(text);
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  // Tokens expire (DIRECTLINE_TOKEN_TTL_SECONDS); refresh well before, so a long chat is never cut off.
  setInterval(
    function () {
      if (!state.token) return;
      request("POST", "/tokens/refresh").then(
        function (fresh) {
          state.token = fresh.token;
          save();
        },
        function () {},
      );
    },
    15 * 60 * 1000,
  );

  start();
})();
