// A terminal progress bar on stderr: redraws in place on a TTY, prints a line every ~10% otherwise
// (so CI logs stay short). Shows done/total, rate and ETA. Not a logger.

export class ProgressBar {
  private readonly started = performance.now();
  private lastDecile = -1;
  private lastDraw = 0;

  constructor(
    private readonly label: string,
    /** Can grow or shrink while running (e.g. once the item count is known). */
    public total: number,
    private readonly unit = 'items',
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {}

  update(done: number, extra = ''): void {
    const now = performance.now();
    const fraction = this.total > 0 ? Math.min(1, done / this.total) : 1;
    const elapsed = (now - this.started) / 1000;
    const rate = elapsed > 0 ? done / elapsed : 0;
    const eta = rate > 0 ? (this.total - done) / rate : 0;
    const text =
      `${this.label} ${bar(fraction)} ${done}/${this.total} ${this.unit} ` +
      `${rate.toFixed(0)}/s ETA ${formatSeconds(eta)}${extra ? ` ${extra}` : ''}`;
    if (this.stream.isTTY) {
      if (now - this.lastDraw < 80 && done < this.total) return;
      this.lastDraw = now;
      this.stream.write(`\r${text.padEnd(this.stream.columns ? this.stream.columns - 1 : 100)}`);
      if (done >= this.total) this.stream.write('\n');
      return;
    }
    const decile = Math.floor(fraction * 10);
    if (decile !== this.lastDecile) {
      this.lastDecile = decile;
      this.stream.write(`${text}\n`);
    }
  }
}

function bar(fraction: number, width = 24): string {
  const filled = Math.round(fraction * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
}

export function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  if (seconds < 60) return `${seconds.toFixed(0)}s`;
  const m = Math.floor(seconds / 60);
  return `${m}m${String(Math.round(seconds - m * 60)).padStart(2, '0')}s`;
}
