/**
 * Finds the submissions in a folder: `NAME.ipynb` files (the student is NAME), or nbgrader's layout of one folder per
 * student holding the notebook (by the assignment's file name, or the only .ipynb there).
 */
import * as fs from "fs";
import * as path from "path";
import { fail } from "../../tensor";

/** One student's submission; `problem` says why there is no notebook to read. */
export interface Submission { student: string; file?: string; problem?: string }

const hidden = (name: string) => name.startsWith(".") || name === "__MACOSX";

/**
 * The submissions in `dir`, sorted by student.
 * @example listSubmissions("submitted", "dsm-loss.ipynb") // [{ student: "alice", file: "submitted/alice/dsm-loss.ipynb" }, ...]
 */
export function listSubmissions(dir: string, fileName: string): Submission[] {
  const fn = "listSubmissions";
  if (typeof dir !== "string" || !fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) fail(fn, "dir", `must be an existing folder of submissions, got '${String(dir)}'`);
  const out = new Map<string, Submission>();
  const add = (s: Submission) => {
    if (out.has(s.student)) fail(fn, "dir", `holds two submissions of '${s.student}' (a file and a folder); keep one`);
    out.set(s.student, s);
  };
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (hidden(e.name)) continue;
    const p = path.join(dir, e.name);
    if (e.isFile() && e.name.endsWith(".ipynb")) add({ student: e.name.slice(0, -".ipynb".length), file: p });
    else if (e.isDirectory()) {
      const named = path.join(p, fileName);
      const nbs = fs.readdirSync(p).filter((f) => f.endsWith(".ipynb") && !hidden(f));
      if (fs.existsSync(named)) add({ student: e.name, file: named });
      else if (nbs.length === 1) add({ student: e.name, file: path.join(p, nbs[0]) });
      else add({ student: e.name, problem: nbs.length ? `the folder holds ${nbs.length} notebooks and none is named ${fileName}` : "the folder holds no notebook" });
    }
  }
  return [...out.values()].sort((a, b) => (a.student < b.student ? -1 : a.student > b.student ? 1 : 0));
}
