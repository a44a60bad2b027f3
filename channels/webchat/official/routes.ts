import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import { projectRoot } from "../../../src/paths.js";
import { compressedAsset } from "./compressed-asset.js";

/** Where the official Web Chat page is served. */
export const officialWebChatPath = "/webchat/full";

// Static files are not compiled: find them from the project root whether running from src or dist.
const publicDir = path.join(projectRoot, "channels", "webchat", "official", "public");

/** The bundle botframework-webchat ships for <script> use; its package does not export it, so find it. */
function webChatBundle(): string {
  const entry = createRequire(import.meta.url).resolve("botframework-webchat");
  return path.join(path.dirname(entry), "..", "dist", "webchat.js");
}

const emptyStyleHash = "sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=";

/**
 * Web Chat styles itself with <style> elements it creates (emotion). Our CSP allows only our own
 * stylesheets, so this page gets its own policy with a per-response nonce that Web Chat puts on them.
 */
function pagePolicy(styleNonce: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    // The hash is that of an empty style, which Web Chat applies once without its nonce.
    `style-src 'self' 'nonce-${styleNonce}' 'unsafe-hashes' '${emptyStyleHash}'`,
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self' ws: wss:",
    "media-src 'self' blob: data:",
    "object-src 'none'",
    "base-uri 'self'",
    "frame-ancestors 'self'",
  ].join("; ");
}

/**
 * The official Bot Framework Web Chat (botframework-webchat) at /webchat/full, served from this
 * server and talking to our own Direct Line endpoint: for MRCs that want its richer UI (adaptive
 * cards, accessibility features) and can afford its size (about 4 MB of JavaScript).
 */
export async function officialWebChatRoutes(app: FastifyInstance): Promise<void> {
  const template = await readFile(path.join(publicDir, "index.html"), "utf8");
  const bundle = webChatBundle();

  app.get(officialWebChatPath, async (_request, reply) => {
    const nonce = randomBytes(16).toString("base64");
    return reply
      .header("content-security-policy", pagePolicy(nonce))
      .header("cache-control", "no-store")
      .type("text/html; charset=utf-8")
      .send(template.replace("{{STYLE_NONCE}}", nonce));
  });
  app.get(
    `${officialWebChatPath}/webchat.js`,
    compressedAsset(bundle, "application/javascript; charset=utf-8", 86_400),
  );
  app.get(
    `${officialWebChatPath}/page.js`,
    compressedAsset(path.join(publicDir, "page.js"), "application/javascript; charset=utf-8", 0),
  );
  app.get(
    `${officialWebChatPath}/page.css`,
    compressedAsset(path.join(publicDir, "page.css"), "text/css; charset=utf-8", 0),
  );
}
