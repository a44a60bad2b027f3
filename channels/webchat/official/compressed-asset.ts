import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { promisify } from "node:util";
import { brotliCompress, constants, gzip } from "node:zlib";
import type { FastifyReply, FastifyRequest } from "fastify";

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

type Encoding = "br" | "gzip" | "identity";

interface Representations {
  readonly bodies: Readonly<Record<Encoding, Buffer>>;
  readonly hash: string;
}

/**
 * What the client accepts, best first: brotli, then gzip, else as is. A coding listed with q=0 is
 * refused; a browser on a slow link gets the 3.9 MB bundle as about a quarter of it.
 */
export function chooseEncoding(acceptEncoding: string | undefined): Encoding {
  const accepted = new Set<string>();
  for (const part of (acceptEncoding ?? "").split(",")) {
    const [name, ...parameters] = part.trim().toLowerCase().split(";");
    const q = parameters.map((p) => p.trim()).find((p) => p.startsWith("q="));
    if (name && !(q && Number(q.slice(2)) === 0)) accepted.add(name);
  }
  if (accepted.has("br")) return "br";
  if (accepted.has("gzip") || accepted.has("*")) return "gzip";
  return "identity";
}

/**
 * A static file served compressed, with an ETag per coding so a returning browser revalidates with a
 * 304 instead of downloading it again. Compressed once, on the first request (not at start-up, where
 * every process and test would pay for it), and kept in memory: the files only change with a release.
 */
export function compressedAsset(file: string, contentType: string, maxAgeSeconds: number) {
  let representations: Promise<Representations> | null = null;
  const load = async (): Promise<Representations> => {
    const raw = await readFile(file);
    const [br, gz] = await Promise.all([
      brotli(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 9, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length } }),
      gzipAsync(raw, { level: 9 }),
    ]);
    return {
      bodies: { br, gzip: gz, identity: raw },
      hash: createHash("sha256").update(raw).digest("base64url").slice(0, 27),
    };
  };

  return async (request: FastifyRequest, reply: FastifyReply) => {
    representations ??= load().catch((error: unknown) => {
      representations = null;
      throw error;
    });
    const { bodies, hash } = await representations;
    const encoding = chooseEncoding(request.headers["accept-encoding"]);
    const etag = `"${hash}-${encoding}"`;
    void reply
      .header("content-type", contentType)
      .header("cache-control", `public, max-age=${maxAgeSeconds}`)
      .header("vary", "accept-encoding")
      .header("etag", etag);
    const ifNoneMatch = request.headers["if-none-match"];
    if (ifNoneMatch && ifNoneMatch.split(",").some((tag) => tag.trim().replace(/^W\//, "") === etag)) {
      return reply.code(304).send();
    }
    if (encoding !== "identity") void reply.header("content-encoding", encoding);
    return reply.send(bodies[encoding]);
  };
}
