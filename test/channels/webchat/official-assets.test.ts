import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import Fastify, { type FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chooseEncoding } from "../../../channels/webchat/official/compressed-asset.js";
import { officialWebChatRoutes } from "../../../channels/webchat/official/routes.js";

const bundlePath = path.join(
  path.dirname(createRequire(import.meta.url).resolve("botframework-webchat")),
  "..",
  "dist",
  "webchat.js",
);

/**
 * Issue 14, item 10: the official Web Chat's 3.9 MB bundle goes over the wire compressed, and a
 * returning browser revalidates it (304) instead of downloading it again.
 */
describe("the official Web Chat page's files", () => {
  let app: FastifyInstance;
  let bundle: Buffer;
  beforeAll(async () => {
    app = Fastify();
    await app.register(officialWebChatRoutes);
    bundle = await readFile(bundlePath);
  });
  afterAll(async () => {
    await app.close();
  });

  const get = (headers: Record<string, string>) => app.inject({ url: "/webchat/full/webchat.js", headers });

  it("sends the bundle brotli-compressed to a browser that accepts it, to under a third of its size", async () => {
    const response = await get({ "accept-encoding": "gzip, deflate, br" });
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-encoding"]).toBe("br");
    expect(response.headers.vary).toContain("accept-encoding");
    expect(brotliDecompressSync(response.rawPayload).equals(bundle)).toBe(true);
    expect(response.rawPayload.length).toBeLessThan(bundle.length / 3);
  });

  it("sends gzip where brotli is not accepted, and the file as it is where nothing is", async () => {
    const gzipped = await get({ "accept-encoding": "gzip" });
    expect(gzipped.headers["content-encoding"]).toBe("gzip");
    expect(gunzipSync(gzipped.rawPayload).equals(bundle)).toBe(true);
    const plain = await get({});
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.rawPayload.equals(bundle)).toBe(true);
  });

  it("answers 304 without a body to a browser that has this version, in the coding it asked for", async () => {
    const first = await get({ "accept-encoding": "br" });
    const etag = String(first.headers.etag);
    expect(etag).toMatch(/^".+"$/);
    const again = await get({ "accept-encoding": "br", "if-none-match": etag });
    expect(again.statusCode).toBe(304);
    expect(again.rawPayload.length).toBe(0);
    // The gzip body is another representation: a brotli ETag must not make it look cached.
    const otherCoding = await get({ "accept-encoding": "gzip", "if-none-match": etag });
    expect(otherCoding.statusCode).toBe(200);
    expect(otherCoding.headers.etag).not.toBe(etag);
  });

  it("also compresses the page's own script and style", async () => {
    for (const file of ["page.js", "page.css"]) {
      const response = await app.inject({ url: `/webchat/full/${file}`, headers: { "accept-encoding": "br" } });
      expect(response.statusCode).toBe(200);
      expect(response.headers["content-encoding"]).toBe("br");
      expect(response.headers.etag).toBeDefined();
    }
  });

  it("honours q=0 (a coding refused) and a wildcard", () => {
    expect(chooseEncoding("br;q=0, gzip")).toBe("gzip");
    expect(chooseEncoding("gzip;q=0")).toBe("identity");
    expect(chooseEncoding("*")).toBe("gzip");
    expect(chooseEncoding("identity")).toBe("identity");
  });
});
