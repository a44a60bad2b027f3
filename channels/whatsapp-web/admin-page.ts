import { createHash, timingSafeEqual } from "node:crypto";
import type { FastifyInstance, FastifyRequest } from "fastify";
import QRCode from "qrcode";
import type { ConnectionState, ConnectionStatus } from "./connection.js";

export const adminPagePath = "/admin/whatsapp-web";

const stateLabels: Readonly<Record<ConnectionState, string>> = {
  starting: "starting (opening WhatsApp Web)",
  "waiting-for-scan": "waiting for scan",
  authenticated: "logged in, loading chats",
  connected: "connected",
  disconnected: "disconnected (reconnecting)",
  stopped: "stopped",
};

/**
 * The admin page of the WhatsApp Web link: its state and, while waiting for a scan, the QR code to
 * scan with the MRC's phone. Only with ADMIN_TOKEN set (no route at all otherwise, so 404), and only
 * for a request carrying it: `Authorization: Bearer <token>`, or HTTP Basic with the token as the
 * password, so that a browser can open the page (it asks for the password).
 */
export function adminPagePlugin(options: {
  readonly adminToken: string | undefined;
  readonly status: () => ConnectionStatus;
}): (app: FastifyInstance) => Promise<void> {
  return async (app) => {
    const token = options.adminToken;
    if (!token) return;
    app.get(adminPagePath, async (request, reply) => {
      void reply.header("cache-control", "no-store");
      if (!authorized(request, token)) {
        return reply
          .code(401)
          .header("www-authenticate", 'Basic realm="Rahnama admin", charset="UTF-8"')
          .type("text/plain; charset=utf-8")
          .send("Unauthorized: send the ADMIN_TOKEN as a Bearer token (or as the password).");
      }
      return reply.type("text/html; charset=utf-8").send(await renderPage(options.status()));
    });
  };
}

function authorized(request: FastifyRequest, token: string): boolean {
  // One scheme and one value, nothing after it: a right token followed by more is not the token.
  const match = /^(\w+) +(\S+)$/.exec(request.headers.authorization ?? "");
  const [, scheme, value = ""] = match ?? [];
  let given: string | null = null;
  if (scheme?.toLowerCase() === "bearer") given = value;
  if (scheme?.toLowerCase() === "basic" && /^[A-Za-z0-9+/]+={0,2}$/.test(value)) {
    const decoded = Buffer.from(value, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    given = colon >= 0 ? decoded.slice(colon + 1) : null;
  }
  return given !== null && sameSecret(given, token);
}

/** Constant-time comparison of two secrets of any length. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (text: string) => createHash("sha256").update(text, "utf8").digest();
  return timingSafeEqual(digest(given), digest(expected));
}

async function renderPage(status: ConnectionStatus): Promise<string> {
  const qr = status.qr ? await QRCode.toString(status.qr, { type: "svg", margin: 2, width: 280 }) : "";
  const lines = [
    `<p>State: <strong id="state" data-state="${status.state}">${escapeHtml(stateLabels[status.state])}</strong>` +
      ` since ${escapeHtml(status.since.toISOString())}</p>`,
  ];
  if (status.nextAttemptAt) lines.push(`<p>Next attempt at ${escapeHtml(status.nextAttemptAt.toISOString())}.</p>`);
  if (status.lastProblem) lines.push(`<p>Last problem: ${escapeHtml(status.lastProblem)}</p>`);
  if (qr) {
    lines.push(
      "<p>On the MRC's phone open WhatsApp → Settings → Linked devices → Link a device, and scan:</p>",
      `<div id="qr">${qr}</div>`,
      "<p>The code changes every few seconds; this page reloads itself.</p>",
    );
  }
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="10">
<title>WhatsApp Web link — Rahnama</title>
</head>
<body>
<h1>WhatsApp Web link</h1>
${lines.join("\n")}
<p><strong>Warning:</strong> this link is unofficial and against WhatsApp's terms; the number can be banned.
Prefer the WhatsApp Cloud API where you can.</p>
</body>
</html>
`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${String(c.charCodeAt(0))};`);
}
