/** A one-line progress bar on a terminal; plain percentage lines when output goes to a file or CI log. */
export function progressBar(
  label: string,
  stream: NodeJS.WriteStream = process.stderr,
): (done: number, total: number) => void {
  const started = performance.now();
  let lastPercent = -1;
  return (done, total) => {
    const fraction = total === 0 ? 1 : done / total;
    const percent = Math.floor(fraction * 100);
    const elapsed = (performance.now() - started) / 1000;
    const eta = fraction > 0 ? (elapsed / fraction) * (1 - fraction) : 0;
    if (stream.isTTY) {
      const width = 30;
      const filled = Math.round(fraction * width);
      stream.write(
        `\r${label} [${"#".repeat(filled)}${"-".repeat(width - filled)}] ${done}/${total} ${percent}% ${eta.toFixed(0)}s left `,
      );
      if (done >= total) stream.write("\n");
    } else if (percent >= lastPercent + 10 || done >= total) {
      stream.write(`${label}: ${done}/${total} (${percent}%)\n`);
      lastPercent = percent;
    }
  };
}
