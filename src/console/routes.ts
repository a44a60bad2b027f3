import { timingSafeEqual } from "node:crypto";
import path from "node:path";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import type { Rahnama } from "../bootstrap.js";
import type { Conversation } from "../core/conversation.js";
import { RahnamaError } from "../errors.js";
import { KnowledgeGaps } from "../retrieval/knowledge-gaps.js";
import { resolutionOutcomes } from "../handoff/counsellor-desk.js";
import { collapseFloods } from "../handoff/flood.js";
import type { CounsellorRelay } from "../handoff/relay.js";
import { projectRoot } from "../paths.js";
import { conversationRef } from "../privacy/conversation-ref.js";
import type { Store } from "../store/store.js";
import { AccountRepository, type PublicAccount } from "./accounts.js";
import { cannedReplies, summarise } from "./case-file.js";
import { liveFeed } from "./live-feed.js";
import { LoginGuard } from "./login-guard.js";
import { ConsoleSessions, sessionSeconds, summary } from "./sessions.js";

// Found from the project root, so the compiled server (dist/) serves the same files.
const publicDir = path.join(projectRoot, "src", "console", "public");

const cookieName = "rahnama_console";

export interface ConsoleDeps {
  readonly store: Store;
  /** The bot and the relay once the knowledge index is loaded; the API answers 503 before. */
  readonly ready: () => { rahnama: Rahnama; relay: CounsellorRelay } | null;
}

const loginBody = z.object({ id: z.string().min(1).max(64), password: z.string().min(1).max(256) });
const keyParams = z.object({ key: z.string().min(3).max(300) });
const gapQuery = z.object({ days: z.coerce.number().int().min(1).max(366).default(30) });
const textBody = z.object({ text: z.string().trim().min(1).max(4000) });
const resolveBody = z.object({ outcome: z.enum(resolutionOutcomes) });
/** To a counsellor (by account id), or — supervisors only — to the MRC serving another country. */
const transferBody = z.union([
  z.object({ to: z.string().regex(/^[a-z0-9._-]{2,64}$/) }).strict(),
  z.object({ country: z.string().regex(/^[A-Z]{2}$/, "an ISO 3166 code such as PK") }).strict(),
]);
const snoozeBody = z.object({ until: z.iso.datetime({ offset: true }) });
const accountParams = z.object({ id: z.string().regex(/^[a-z0-9._-]{2,64}$/) });
/** One session (by the id the list gives), or without it all of the account's sessions. */
const endSessionsBody = z.object({ session: z.string().min(1).max(64).optional() }).strict();

/** A conversation's private counsellor notes. */
function notesKey(conversationKey: string): string {
  return `console:notes:${conversationKey}`;
}

/** "Delete my data": the counsellors' notes on the conversation go with it. */
export async function forgetConsoleNotes(store: Store, conversationKey: string): Promise<void> {
  await store.delete([notesKey(conversationKey)]);
}

/**
 * The audit log of one UTC day: `console:audit:YYYY-MM-DD`, one JSON line per read `{ at, account,
 * action, conversation }`, where `conversation` is the conversation's keyed reference (`c_…`).
 */
export function auditKey(at: Date): string {
  return `console:audit:${at.toISOString().slice(0, 10)}`;
}

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value ?? {});
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new RahnamaError("INPUT_INVALID", problems.join("; "));
  }
  return result.data;
}

function cookieValue(request: FastifyRequest): string | null {
  for (const part of (request.headers.cookie ?? "").split(";")) {
    const [name, ...rest] = part.trim().split("=");
    if (name === cookieName) return rest.join("=");
  }
  return null;
}

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** What a queue line shows of a conversation. */
function caseFacts(conversation: Conversation) {
  return {
    channel: conversation.address.channel,
    lang: conversation.lang,
    country: conversation.country,
    topic: conversation.lastIntent,
    safety: conversation.safety,
  };
}

/** Whether a case suits the counsellor's languages and topics (routing; everyone still sees their MRC's queue). */
function suits(account: PublicAccount, conversation: Conversation): boolean {
  const language =
    account.languages.length === 0 || (conversation.lang !== null && account.languages.includes(conversation.lang));
  const topic =
    account.topics.length === 0 ||
    (conversation.safety && account.topics.includes("safety")) ||
    (conversation.lastIntent !== null && account.topics.includes(conversation.lastIntent));
  return language && topic;
}

/**
 * A counsellor sees their MRC's countries and conversations whose country is not known yet, and any
 * conversation they hold.
 */
function maySee(account: PublicAccount, conversation: Conversation): boolean {
  return mayAccess(account, { country: conversation.country, assignee: conversation.handoff.assignee });
}

/** The rule behind `maySee`, from the two facts it needs (a handoff event carries them too). */
function mayAccess(account: PublicAccount, facts: { country?: string | null; assignee?: string | null }): boolean {
  if (account.role === "supervisor" && account.countries.length === 0) return true;
  // Whoever holds it sees it, also when a supervisor transferred it to a counsellor of another MRC.
  if (facts.assignee === account.id) return true;
  return !facts.country || account.countries.includes(facts.country);
}

/**
 * Whose sessions an account may list and end: its own; a supervisor also those of the accounts of
 * their MRC (every account, for a supervisor without countries).
 */
function mayManage(account: PublicAccount, owner: PublicAccount): boolean {
  if (account.id === owner.id) return true;
  if (account.role !== "supervisor") return false;
  return account.countries.length === 0 || owner.countries.some((country) => account.countries.includes(country));
}

/**
 * The counsellor console's JSON API under /console/api (see the README): login, logout, queue,
 * conversation, claim, reply, notes, resolve, transfer, sessions. Sessions are HttpOnly SameSite=Strict cookies;
 * every state-changing call needs the session's CSRF token in `x-csrf-token`; logins are rate-limited;
 * a counsellor sees only their MRC's countries; every read of a transcript goes to the audit log.
 */
export function consoleApi(deps: ConsoleDeps) {
  const accounts = new AccountRepository(deps.store);
  const loginGuard = new LoginGuard(deps.store);
  const sessions = new ConsoleSessions(deps.store);

  const services = () => {
    const ready = deps.ready();
    if (!ready) throw new RahnamaError("INDEX_NOT_READY");
    return ready;
  };

  /** Conversations each session has opened (their reading audited), for the live feed; in memory. */
  const watching = new Map<string, Set<string>>();

  async function signedIn(request: FastifyRequest, changing: boolean): Promise<PublicAccount> {
    return (await session(request, changing)).account;
  }

  async function session(
    request: FastifyRequest,
    changing: boolean,
  ): Promise<{ account: PublicAccount; token: string; csrf: string }> {
    const token = cookieValue(request);
    const stored = token ? await sessions.read(token) : null;
    if (!stored || !token) {
      // Ended elsewhere (a new password, a supervisor, another process): forget what it had open.
      if (token) watching.delete(token);
      throw new RahnamaError("AUTH_MISSING", "Log in to the console first");
    }
    const account = await accounts.get(stored.accountId);
    if (!account) throw new RahnamaError("AUTH_MISSING", "The account no longer exists");
    if (changing) {
      const sent = request.headers["x-csrf-token"];
      if (typeof sent !== "string" || !sameSecret(sent, stored.csrf)) throw new RahnamaError("CONSOLE_CSRF");
    }
    return { account, token, csrf: stored.csrf };
  }

  async function visible(account: PublicAccount, key: string): Promise<Conversation> {
    const conversation = await services().rahnama.services.conversations.get(key);
    if (!conversation) throw new RahnamaError("NOT_FOUND", "No such conversation (it was erased or has expired)");
    if (!maySee(account, conversation)) throw new RahnamaError("CONSOLE_FORBIDDEN");
    return conversation;
  }

  async function audit(account: PublicAccount, action: string, conversationKey: string): Promise<void> {
    const at = new Date();
    const { rahnama } = services();
    // A keyed reference, not the key (a phone number, a chat id): the log outlives an erasure, and says
    // who read what only to someone holding the salt, who can hash a conversation key the same way.
    const conversation = conversationRef(rahnama.services.userIds, conversationKey);
    const entry = { at: at.toISOString(), account: account.id, action, conversation };
    // One list per day, kept as long as the conversations it names: the log cannot outlive the data.
    await deps.store.append(auditKey(at), [JSON.stringify(entry)], {
      ttlSeconds: rahnama.services.config.DATA_RETENTION_DAYS * 86_400,
    });
  }

  return async function routes(app: FastifyInstance): Promise<void> {
    await app.register(fastifyStatic, {
      root: publicDir,
      prefix: "/console/",
      index: ["index.html"],
      decorateReply: false,
      cacheControl: true,
      maxAge: 0,
    });
    app.get("/console", (_request, reply) => reply.redirect("/console/"));
    // Answers carry transcripts, notes and sessions: no browser cache or proxy may keep a copy.
    app.addHook("onSend", async (request, reply, payload) => {
      if (request.url.startsWith("/console/api/")) void reply.header("cache-control", "no-store");
      return payload;
    });

    liveFeed(app, {
      session: async (request) => {
        const current = await session(request, false);
        return {
          token: current.token,
          maySeeEvent: (event) => mayAccess(current.account, event),
          mayRead: async (key) => {
            const conversation = await services().rahnama.services.conversations.get(key);
            return conversation !== null && maySee(current.account, conversation);
          },
          concerns: async (key) => {
            const conversation = await services().rahnama.services.conversations.get(key);
            return (
              conversation !== null &&
              ["pending", "open", "snoozed"].includes(conversation.handoff.status) &&
              maySee(current.account, conversation)
            );
          },
        };
      },
      sources: () => {
        const { rahnama } = services();
        return { transcripts: rahnama.services.transcripts, handoff: rahnama.services.handoff };
      },
      watching: (token) => watching.get(token) ?? new Set(),
      unwatch: (token, key) => watching.get(token)?.delete(key),
    });

    /** Who is signed in, with the CSRF token: a reloaded console page picks its session up from here. */
    app.get("/console/api/session", async (request) => {
      const current = await session(request, false);
      return { account: current.account, csrf: current.csrf };
    });
    app.post("/console/api/login", async (request, reply: FastifyReply) => {
      const { id, password } = parse(loginBody, request.body);
      // Counted before the password is checked (see login-guard.ts); a wrong one stays counted.
      const attempt = await loginGuard.begin(id, request.ip, request.headers.cookie);
      if (!attempt) throw new RahnamaError("RATE_LIMITED", "Too many failed logins; wait 15 minutes and try again");
      const account = await accounts.verify(id, password);
      if (!account) throw new RahnamaError("CONSOLE_LOGIN_FAILED");
      const device = await attempt.succeeded();
      const { token, csrf } = await sessions.start(account.id, new Date());
      const secure = request.protocol === "https" ? "; Secure" : "";
      void reply.header(
        "set-cookie",
        `${cookieName}=${token}; Path=/console; HttpOnly; SameSite=Strict; Max-Age=${String(sessionSeconds)}${secure}`,
      );
      void reply.header("set-cookie", LoginGuard.cookie(device, secure !== ""));
      return { account, csrf };
    });

    app.post("/console/api/logout", async (request, reply: FastifyReply) => {
      await signedIn(request, true);
      const token = cookieValue(request);
      if (token) {
        await sessions.endToken(token);
        watching.delete(token);
      }
      void reply.header("set-cookie", `${cookieName}=; Path=/console; HttpOnly; SameSite=Strict; Max-Age=0`);
      return { ok: true };
    });

    /** An account's live sessions, for its owner or a supervisor of its MRC; never their tokens. */
    app.get("/console/api/accounts/:id/sessions", async (request) => {
      const current = await session(request, false);
      const owner = await sessionOwner(current.account, request.params);
      const list = await sessions.list(owner.id, new Date());
      return {
        account: owner.id,
        sessions: list.map((listed) => ({ ...summary(listed), current: listed.token === current.token })),
      };
    });

    /** Ends one of an account's sessions, or all of them (a lost phone, someone who left the MRC). */
    app.post("/console/api/accounts/:id/sessions/end", async (request) => {
      const account = await signedIn(request, true);
      const owner = await sessionOwner(account, request.params);
      const { session: id } = parse(endSessionsBody, request.body);
      return { ended: await sessions.end(owner.id, new Date(), id) };
    });

    async function sessionOwner(account: PublicAccount, params: unknown): Promise<PublicAccount> {
      const { id } = parse(accountParams, params);
      const owner = id === account.id ? account : await accounts.get(id);
      // An unknown account and one of another MRC look the same: the answer names no accounts.
      if (!owner || !mayManage(account, owner)) {
        throw new RahnamaError("CONSOLE_FORBIDDEN", "Only the account or a supervisor of its MRC may do this");
      }
      return owner;
    }

    /** Questions the leaflets could not answer, counted, for a supervisor planning new leaflets. */
    app.get("/console/api/knowledge-gaps", async (request) => {
      const account = await signedIn(request, false);
      if (account.role !== "supervisor")
        throw new RahnamaError("CONSOLE_FORBIDDEN", "Only a supervisor sees knowledge gaps");
      const { days } = parse(gapQuery, request.query);
      const gaps = await services().rahnama.services.gaps.list(days, new Date());
      return { days, total: gaps.length, counts: KnowledgeGaps.summarise(gaps) };
    });

    app.get("/console/api/queue", async (request) => {
      const account = await signedIn(request, false);
      const { rahnama } = services();
      const now = new Date();
      const deskOf = (conversation: Conversation) => {
        const { desks } = rahnama.services;
        const team = desks.forConversation(conversation.country);
        return { desk: team.id, deskOpen: desks.isOpen(team, now) };
      };
      const [queue, active] = await Promise.all([rahnama.services.desk.queue(now), rahnama.services.handoff.active()]);
      // Read in parallel: with Redis, one round trip per waiting person in a row adds up.
      const read = <T extends { conversationKey: string }>(list: readonly T[]) =>
        Promise.all(
          list.map(async (entry) => ({
            entry,
            conversation: await rahnama.services.conversations.get(entry.conversationKey),
          })),
        ).then((pairs) =>
          pairs.flatMap(({ entry, conversation }) =>
            conversation && maySee(account, conversation) ? [{ entry, conversation }] : [],
          ),
        );
      // Identical safety cases from one sender are one line with their count (`floodSuspect` from three).
      const entries = collapseFloods(
        (await read(queue)).map(({ entry, conversation }) => ({
          ...entry,
          ...caseFacts(conversation),
          forYou: suits(account, conversation),
          ...deskOf(conversation),
        })),
      );
      const held = await Promise.all(
        (await read(active)).map(async ({ entry, conversation }) => {
          // A person whose last message has no answer yet: the console flags it so a held case
          // is not left silent (the bot says nothing while a counsellor holds it).
          const [last] = await rahnama.services.transcripts.read(entry.conversationKey, 1);
          return {
            ...entry,
            ...caseFacts(conversation),
            mine: entry.assignee === account.id,
            unansweredSince: last?.from === "user" ? last.at : null,
          };
        }),
      );
      return { queue: entries, held };
    });

    app.get("/console/api/conversations/:key", async (request) => {
      const current = await session(request, false);
      const { account } = current;
      const { key } = parse(keyParams, request.params);
      const conversation = await visible(account, key);
      const { rahnama } = services();
      await audit(account, "read-transcript", key);
      const seen = watching.get(current.token) ?? new Set<string>();
      seen.add(key);
      watching.set(current.token, seen);
      const transcript = await rahnama.services.transcripts.read(key);
      const { knowledge } = rahnama.services;
      return {
        conversation: {
          key,
          channel: conversation.address.channel,
          lang: conversation.lang,
          country: conversation.country,
          safety: conversation.safety,
          handoff: conversation.handoff,
        },
        transcript,
        summary: summarise(conversation, transcript, knowledge),
        canned: await cannedReplies(conversation, transcript, knowledge),
        history: await rahnama.services.handoff.history(key),
        notes: (await deps.store.range(notesKey(key), 0, -1)).map((line) => JSON.parse(line) as unknown),
      };
    });

    app.post("/console/api/conversations/:key/claim", async (request) => {
      const account = await signedIn(request, true);
      const { key } = parse(keyParams, request.params);
      await visible(account, key);
      const claimed = await services().rahnama.services.desk.claim(key, account, new Date());
      return { handoff: claimed.handoff };
    });

    app.post("/console/api/conversations/:key/reply", async (request) => {
      const account = await signedIn(request, true);
      const { key } = parse(keyParams, request.params);
      const { text } = parse(textBody, request.body);
      await visible(account, key);
      await services().relay.reply(key, account, text, new Date());
      return { ok: true };
    });

    app.post("/console/api/conversations/:key/notes", async (request) => {
      const account = await signedIn(request, true);
      const { key } = parse(keyParams, request.params);
      const { text } = parse(textBody, request.body);
      await visible(account, key);
      const note = { at: new Date().toISOString(), by: account.id, text };
      // Private notes never reach the person; they expire with the conversation.
      await deps.store.append(notesKey(key), [JSON.stringify(note)], {
        ttlSeconds: services().rahnama.services.config.DATA_RETENTION_DAYS * 86_400,
      });
      return { note };
    });

    app.post("/console/api/conversations/:key/resolve", async (request) => {
      const account = await signedIn(request, true);
      const { key } = parse(keyParams, request.params);
      const { outcome } = parse(resolveBody, request.body);
      await visible(account, key);
      await services().relay.resolve(key, account, outcome, new Date());
      return { ok: true };
    });

    app.post("/console/api/conversations/:key/snooze", async (request) => {
      const account = await signedIn(request, true);
      const { key } = parse(keyParams, request.params);
      const { until } = parse(snoozeBody, request.body);
      await visible(account, key);
      const snoozed = await services().rahnama.services.desk.snooze(key, account, new Date(until), new Date());
      return { handoff: snoozed.handoff };
    });

    app.post("/console/api/conversations/:key/release", async (request) => {
      const account = await signedIn(request, true);
      const { key } = parse(keyParams, request.params);
      await visible(account, key);
      const released = await services().rahnama.services.desk.release(key, account, new Date());
      return { handoff: released.handoff };
    });

    app.post("/console/api/conversations/:key/transfer", async (request) => {
      const account = await signedIn(request, true);
      const { key } = parse(keyParams, request.params);
      const body = parse(transferBody, request.body);
      const conversation = await visible(account, key);
      const { desk } = services().rahnama.services;
      if ("country" in body) {
        const moved = await desk.transferToCountry(key, account, body.country, new Date());
        return { handoff: moved.handoff, country: moved.country };
      }
      const { to } = body;
      const receiver = await accounts.get(to);
      if (!receiver) throw new RahnamaError("NOT_FOUND", "No such counsellor");
      // Handing a case to another MRC is a supervisor's decision; within the MRC the holder may.
      if (!maySee(receiver, conversation) && account.role !== "supervisor") {
        throw new RahnamaError("CONSOLE_FORBIDDEN", "Only a supervisor may transfer a conversation to another MRC");
      }
      const moved = await services().rahnama.services.desk.transfer(key, account, to, new Date());
      return { handoff: moved.handoff };
    });
  };
}
