/**
 * One status line over several headless runs at once (the main job's notebook children): each running notebook
 * with its cell i/N, the time that cell has run and its latest progress text, each cut to its share of the
 * terminal's width. With one run it reads exactly as cellStatus does (`label · cell i/N · elapsed · text`).
 * Events are kept per run and the line is drawn whole, so nothing of one run's output lands inside another's.
 */
import { cellLine, formatElapsed, statusLine, type RunProgress, type StatusStream } from "./run-progress";

/** One run's handle: its events, and its end (it leaves the line). */
export interface RunHandle { onEvent: RunProgress; end(): void }

export interface RunsStatus {
  /** A run starts: `label` is shown when it runs alone, `name` (shorter) when several share the line. */
  start(label: string, name: string): RunHandle;
  /** Redraws with the current elapsed times (a timer calls it). */
  redraw(): void;
  /** Erases the line for now, e.g. before a log line (the next event or tick redraws it). */
  clearLine(): void;
  /** Clears the line and stops the timer. */
  close(): void;
}

interface Run { label: string; name: string; cell?: { cell: number; cells: number; t0: number; text: string; done: boolean } }

const cut = (s: string, n: number) => (s.length > n ? s.slice(0, Math.max(0, n - 1)) + "…" : s);

/**
 * The status line of several runs on `stream`, refreshed every `tickMs` while any runs (the timer does not keep
 * the process alive).
 * @example const st = runsStatus(process.stderr); const h = st.start("[1/7] paper-fusion.ipynb", "paper-fusion"); child.onEvent = h.onEvent; ... h.end(); st.close();
 */
export function runsStatus(stream: StatusStream, opts: { tickMs?: number; now?: () => number } = {}): RunsStatus {
  const line = statusLine(stream);
  const now = opts.now ?? Date.now;
  const runs: Run[] = [];
  const elapsed = (c: NonNullable<Run["cell"]>) => formatElapsed((now() - c.t0) / 1000);
  const redraw = () => {
    if (runs.length === 1) {
      const c = runs[0].cell;
      // Alone, a run shows only while a cell runs, as cellStatus does.
      if (!c || c.done) { line.clear(); return; }
      line.show(cellLine(`${runs[0].label} · `, c, (now() - c.t0) / 1000));
      return;
    }
    if (runs.length === 0) { line.clear(); return; }
    const width = Math.max(20, (stream.columns ?? 100) - 1);
    const head = `${runs.length} running: `;
    const share = Math.max(12, Math.floor((width - head.length - 3 * (runs.length - 1)) / runs.length));
    const segs = runs.map((r) => {
      const c = r.cell;
      const s = !c ? `${r.name} starting` : c.done ? `${r.name} cell ${c.cell}/${c.cells} done`
        : `${r.name} cell ${c.cell}/${c.cells} ${elapsed(c)}${c.text ? ` ${c.text.replace(/\s*\n\s*/g, " ")}` : ""}`;
      return cut(s, share);
    });
    line.show(head + segs.join(" | "));
  };
  const timer = opts.tickMs === 0 ? undefined : setInterval(redraw, opts.tickMs ?? 1000);
  timer?.unref();
  return {
    start(label, name) {
      const run: Run = { label, name };
      runs.push(run);
      redraw();
      return {
        onEvent(e) {
          if (e.kind === "start") run.cell = { cell: e.cell, cells: e.cells, t0: now(), text: "", done: false };
          else if (e.kind === "line" && run.cell) run.cell.text = e.text;
          else if (e.kind === "end" && run.cell) run.cell.done = true;
          redraw();
        },
        end() {
          const i = runs.indexOf(run);
          if (i >= 0) runs.splice(i, 1);
          redraw();
        },
      };
    },
    redraw,
    clearLine: () => line.clear(),
    close() {
      if (timer) clearInterval(timer);
      runs.length = 0;
      line.clear();
    },
  };
}
