/**
 * Per-cell progress of headless runs (`scorelab run`, and `npm start` across its child runs): one status line,
 * rewritten in place on a terminal — cell i of N, the time the cell has run, the cell's own progress bar text —
 * and nothing in a CI log unless asked for with `--progress`. Between processes the same events travel as JSON
 * lines on an extra file descriptor, so the child's stdout and stderr stay what they were.
 */
import * as fs from "fs";

/** What a run reports: a cell starts, the running cell's progress line changes, a cell ends. */
export type RunEvent =
  | { kind: "start"; cell: number; cells: number }
  | { kind: "line"; text: string }
  | { kind: "end"; cell: number; ok: boolean };

export type RunProgress = (e: RunEvent) => void;

/** A stream as the status line needs it (process.stderr, or a test's fake). */
export interface StatusStream { write(text: string): unknown; isTTY?: boolean; columns?: number }

/**
 * Whether to show progress: `--progress` forces it (true) or turns it off (false); otherwise on a terminal only,
 * and never when CI is set (CI runners may give a pseudo-terminal whose log keeps every redraw).
 * @example showProgress(undefined, process.stderr, process.env)
 */
export function showProgress(flag: boolean | undefined, stream: StatusStream, env: Record<string, string | undefined> = process.env): boolean {
  if (flag !== undefined) return flag;
  return stream.isTTY === true && !env.CI;
}

/** "12.3 s", or "4 min 05 s" past a minute. */
export function formatElapsed(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const m = Math.floor(seconds / 60);
  return `${m} min ${String(Math.floor(seconds - 60 * m)).padStart(2, "0")} s`;
}

/** A running cell as every status line shows it: `prefix` then `cell i/N · elapsed · its progress text`. */
export function cellLine(prefix: string, cell: { cell: number; cells: number; text: string }, seconds: number): string {
  return [`${prefix}cell ${cell.cell}/${cell.cells}`, formatElapsed(seconds), ...(cell.text ? [cell.text] : [])].join(" · ");
}

/** A line rewritten in place: carriage return, erase line, text cut to the terminal's width. */
export function statusLine(stream: StatusStream) {
  let shown = false;
  return {
    show(text: string): void {
      const width = Math.max(20, (stream.columns ?? 100) - 1);
      const flat = text.replace(/\s*\n\s*/g, " ");
      stream.write(`\r\x1b[2K${flat.length > width ? flat.slice(0, width - 1) + "…" : flat}`);
      shown = true;
    },
    clear(): void {
      if (shown) stream.write("\r\x1b[2K");
      shown = false;
    },
  };
}

export interface CellStatus {
  /** Feeds one event. */
  onEvent: RunProgress;
  /** Redraws with the current elapsed time (a timer calls it). */
  redraw(): void;
  /** Erases the line for now (the next event or tick redraws it). */
  clearLine(): void;
  /** Clears the line and stops the timer. */
  close(): void;
}

/**
 * Renders run events as `prefix cell i/N · elapsed · progress line` on `stream`, refreshed every `tickMs` while a
 * cell runs (the timer does not keep the process alive).
 * @example const st = cellStatus(process.stderr); await runNotebook(nb, { outDir, progress: st.onEvent }); st.close();
 */
export function cellStatus(stream: StatusStream, opts: { prefix?: string; tickMs?: number; now?: () => number } = {}): CellStatus {
  const line = statusLine(stream);
  const now = opts.now ?? Date.now;
  let cell: { cell: number; cells: number; t0: number; text: string } | null = null;
  const prefix = opts.prefix ?? "";
  const redraw = () => {
    if (cell) line.show(cellLine(prefix, cell, (now() - cell.t0) / 1000));
  };
  const timer = opts.tickMs === 0 ? undefined : setInterval(redraw, opts.tickMs ?? 1000);
  timer?.unref();
  return {
    clearLine: () => line.clear(),
    onEvent(e) {
      if (e.kind === "start") cell = { cell: e.cell, cells: e.cells, t0: now(), text: "" };
      else if (e.kind === "line" && cell) cell.text = e.text;
      else if (e.kind === "end") { cell = null; line.clear(); return; }
      redraw();
    },
    redraw,
    close() {
      if (timer) clearInterval(timer);
      cell = null;
      line.clear();
    },
  };
}

/** Sends events as JSON lines on file descriptor `fd` (a pipe the parent opened); write errors are dropped. */
export function fdProgress(fd: number): RunProgress {
  if (!Number.isInteger(fd) || fd < 3) throw new Error(`fdProgress(): argument 'fd' must be an integer >= 3 (0-2 are stdio), got ${fd}`);
  return (e) => {
    try { fs.writeSync(fd, JSON.stringify(e) + "\n"); } catch { /* the parent went away: progress is best effort */ }
  };
}

/**
 * Parses the JSON lines of fdProgress from chunks of a stream, calling `onEvent` per complete, valid event.
 * @example child.stdio[3].on("data", eventReader(st.onEvent))
 */
export function eventReader(onEvent: RunProgress): (chunk: Buffer | string) => void {
  let rest = "";
  return (chunk) => {
    rest += String(chunk);
    const lines = rest.split("\n");
    rest = lines.pop() ?? "";
    for (const l of lines) {
      let e: unknown;
      try { e = JSON.parse(l); } catch { continue; }
      const k = (e as { kind?: unknown } | null)?.kind;
      if (k === "start" || k === "line" || k === "end") onEvent(e as RunEvent);
    }
  };
}

/**
 * What `scorelab run` uses: events to `fd` when given (a parent renders them), else a status line on stderr when
 * showProgress says so; `log` clears the line before a log line so the two never mix.
 * @example const live = cliRunProgress(undefined); await runNotebook(nb, { outDir, progress: live.progress, log: live.log }); live.close();
 */
export function cliRunProgress(flag: boolean | undefined, fd?: number, stream: StatusStream = process.stderr): { progress?: RunProgress; log: (l: string) => void; close(): void } {
  const plain = (l: string) => { stream.write(l + "\n"); };
  if (fd !== undefined) return { progress: fdProgress(fd), log: plain, close() {} };
  if (!showProgress(flag, stream)) return { log: plain, close() {} };
  const st = cellStatus(stream);
  // The line is cleared at each cell's end, before the run logs that cell; a log line mid-cell redraws after it.
  return { progress: st.onEvent, log: (l) => { st.clearLine(); plain(l); st.redraw(); }, close: () => st.close() };
}
