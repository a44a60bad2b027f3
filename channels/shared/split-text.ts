/**
 * Splits a reply into pieces no longer than `limit` characters for channels with a message size limit
 * (Telegram 4096, WhatsApp 4096, a button body 1024). Cuts at the last paragraph break, else line
 * break, else sentence end, else space before the limit, so no word or link is cut in half; only a
 * single word longer than the limit is cut hard. Pieces keep their order and lose no text except the
 * whitespace at a cut.
 */
export function splitText(text: string, limit: number): string[] {
  if (limit < 16) throw new Error("limit too small to split text sensibly");
  const pieces: string[] = [];
  let rest = text.trim();
  while (rest.length > limit) {
    const window = rest.slice(0, limit + 1);
    const cut =
      lastBreak(window, /\n\s*\n/g) ??
      lastBreak(window, /\n/g) ??
      lastBreak(window, /[.!?؟।。](?=\s)/g, 1) ??
      lastBreak(window, /\s/g) ??
      limit;
    const piece = rest.slice(0, cut).trimEnd();
    if (piece) pieces.push(piece);
    rest = rest.slice(cut).trimStart();
  }
  if (rest) pieces.push(rest);
  return pieces;
}

/** Index just before the last match in `window` (after it when `keep` > 0), or null when there is none in the latter half. */
function lastBreak(window: string, pattern: RegExp, keep = 0): number | null {
  let found: number | null = null;
  for (const match of window.matchAll(pattern)) {
    const at = match.index + keep;
    if (at > 0 && at < window.length) found = at;
  }
  // A cut in the first quarter would leave a tiny piece; prefer a finer break further on.
  return found !== null && found >= window.length / 4 ? found : null;
}
