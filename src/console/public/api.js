// The console's JSON API, and how a refused or failed call is said on the page.
import { $, state } from "./state.js";
import { t } from "./texts.js";

/** Set by console.js: what a 401 does (the session ended). */
export const sessionHooks = { ended: () => undefined };

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.error?.message ?? body?.message ?? `HTTP ${status}`);
    this.status = status;
    this.code = body?.error?.code ?? body?.code ?? null;
  }
}

export async function api(path, options = {}) {
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
    if (response.status === 401 && state.session) sessionHooks.ended();
    throw new ApiError(response.status, body);
  }
  return body;
}

let flashTimer = null;
export function flash(message, kind = "info") {
  const node = $("flash");
  node.textContent = message;
  node.className = `flash ${kind}`;
  node.hidden = false;
  clearTimeout(flashTimer);
  flashTimer = setTimeout(() => (node.hidden = true), 6000);
}

export function explain(error) {
  if (error instanceof ApiError) {
    if (error.status === 409) return t("conflict");
    if (error.status === 403) return t("forbidden");
    if (error.status === 401) return t("session_ended");
  }
  return t("error", { message: error.message });
}

/** Runs a console action and says what went wrong: a refused action must never fail silently. */
export async function act(action, done) {
  try {
    await action();
    if (done) flash(done, "ok");
  } catch (error) {
    flash(explain(error), "error");
  }
}
