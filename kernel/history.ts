/**
 * The kernel's input history, for history_request (Jupyter messaging 5.3): tail, range and search over this
 * session's inputs, as IPython answers them, with each line's result text when `output` is asked for. Only
 * session 0 (this kernel's run) exists.
 */
export type HistoryRow = [session: number, line: number, input: string];
/** A row as sent: the input alone, or (input, output) when the request asks for output. */
export type HistoryEntry = [number, number, string | [string, string | null]];

export interface HistoryRequest {
  hist_access_type?: "tail" | "range" | "search";
  output?: boolean;
  raw?: boolean;
  session?: number;
  start?: number;
  stop?: number | null;
  n?: number | null;
  pattern?: string;
  unique?: boolean;
}

/** The largest answer sent, whatever `n` asks: a history reply must stay a small message. */
const MAX_ROWS = 10_000;

/** A glob of IPython's history search (`*` any run, `?` one character), matched against the whole input. */
function globToRegExp(pattern: string): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[\\s\\S]*").replace(/\?/g, "[\\s\\S]");
  return new RegExp(`^${body}$`);
}

const count = (v: unknown, dflt: number): number => (typeof v === "number" && Number.isInteger(v) && v >= 0 ? Math.min(v, MAX_ROWS) : dflt);

export class InputHistory {
  private readonly rows: HistoryRow[] = [];
  private readonly outputs = new Map<number, string>();

  push(row: HistoryRow): void { this.rows.push(row); }
  /** The text/plain result of a line (IPython's Out[n]). */
  setOutput(line: number, text: string): void { this.outputs.set(line, text); }

  /** The entries a request asks for; a malformed request gets none rather than an error. */
  answer(req: HistoryRequest): HistoryEntry[] {
    const rows = this.select(req ?? {});
    if (!req?.output) return rows;
    return rows.map(([s, line, input]) => [s, line, [input, this.outputs.get(line) ?? null]]);
  }

  private select(req: HistoryRequest): HistoryRow[] {
    const kind = req?.hist_access_type ?? "tail";
    if (kind === "tail") { const n = count(req.n, 10); return n === 0 ? [] : this.rows.slice(-n); }
    if (kind === "range") {
      // Negative sessions count back from the current one; this kernel only has the current one (0).
      if (typeof req.session === "number" && req.session > 0) return [];
      const start = typeof req.start === "number" ? req.start : 1;
      const stop = typeof req.stop === "number" ? req.stop : Infinity;
      return this.rows.filter(([, line]) => line >= start && line < stop).slice(0, MAX_ROWS);
    }
    if (kind === "search") {
      if (typeof req.pattern !== "string" || req.pattern.length > 1000) return [];
      const re = globToRegExp(req.pattern);
      let hits = this.rows.filter(([, , input]) => re.test(input));
      if (req.unique) {
        const seen = new Set<string>();
        hits = hits.reverse().filter(([, , input]) => (seen.has(input) ? false : (seen.add(input), true))).reverse();
      }
      const n = count(req.n, 0);
      return (n > 0 ? hits.slice(-n) : hits).slice(-MAX_ROWS);
    }
    return [];
  }
}
