/**
 * The sweep's ResultsTable: one row per trial and metric, with the trial's parameters, seed, status, seconds,
 * worker, attempts and id. A trial without metrics (failed, interrupted, cancelled) is one row with metric "none",
 * value NaN and its error, so a table always shows every planned trial.
 */
import { ResultsTable, type ResultRow, type ParamValue } from "../table";
import type { StoredResult } from "./records";
import { RESERVED_COLUMNS, type JsonValue, type Trial } from "./spec";

function cell(v: JsonValue | undefined): ParamValue {
  if (v === undefined) return null;
  return v !== null && typeof v === "object" ? JSON.stringify(v) : v;
}

/** Rows of one trial; `result` undefined means the trial never ran (cancelled by an interrupt). */
export function trialRows(trial: Trial, result: StoredResult | undefined, experiment: string): ResultRow[] {
  const params = Object.fromEntries(Object.entries(trial.params).map(([k, v]) => [k, cell(v)]));
  const base = {
    experiment, model: trial.fn, dataset: "-", seed: trial.seed, ...params, trial: trial.id, rung: trial.rung,
    status: result?.status ?? "cancelled", seconds: result?.seconds ?? null, worker: result?.worker ?? null,
    attempts: result?.attempts ?? 0, error: result?.error ?? null,
  };
  const rows = result?.rows ?? [];
  if (rows.length === 0) return [{ ...base, metric: "none", value: NaN }];
  return rows.map((r) => {
    const extra = Object.fromEntries(Object.entries(r).filter(([k]) => !RESERVED_COLUMNS.includes(k) && !(k in params)).map(([k, v]) => [k, cell(v)]));
    return {
      ...extra, ...base,
      experiment: typeof r.experiment === "string" && r.experiment ? r.experiment : experiment,
      model: typeof r.model === "string" && r.model ? r.model : trial.fn,
      dataset: typeof r.dataset === "string" && r.dataset ? r.dataset : "-",
      metric: r.metric, value: r.value,
    } as ResultRow;
  });
}

/** The table of trials in plan order. */
export function sweepTable(trials: Trial[], results: Map<string, StoredResult>, experiment: string): ResultsTable {
  return new ResultsTable([...trials].sort((a, b) => a.index - b.index).flatMap((t) => trialRows(t, results.get(t.id), experiment)));
}
