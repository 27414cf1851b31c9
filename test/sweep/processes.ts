/**
 * Real parts for the sweep tests, started on loopback and stopped by the tests: Debian's redis-server (no
 * persistence, its own temp dir) and `scorelab worker` processes. Every wait is bounded.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";

export const REDIS_SERVER = "/usr/bin/redis-server";
export const CLI = path.join(__dirname, "..", "..", "src", "cli", "main.js");
export const FIXTURES = path.join(__dirname, "fixtures");

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** Resolves when `pred` holds, checking every 20 ms; rejects after `ms` with `what`. */
export async function waitFor(pred: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!(await pred())) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function waitOutput(p: ChildProcess, re: RegExp, ms: number, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let text = "";
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}; output: ${text.slice(-500)}`)), ms);
    const on = (d: Buffer) => {
      text += d.toString();
      if (re.test(text)) { clearTimeout(timer); resolve(); }
    };
    p.stdout?.on("data", on);
    p.stderr?.on("data", on);
    p.once("exit", (code) => { clearTimeout(timer); reject(new Error(`${what}: process exited (${code}) first; output: ${text.slice(-500)}`)); });
  });
}

export function stopProcess(p: ChildProcess | undefined, signal: NodeJS.Signals = "SIGTERM", ms = 5000): Promise<void> {
  if (!p || p.exitCode !== null || p.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => { p.kill("SIGKILL"); }, ms);
    p.once("exit", () => { clearTimeout(timer); resolve(); });
    p.kill(signal);
  });
}

export class RedisServer {
  proc?: ChildProcess;
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), "scorelab-redis-"));
  constructor(readonly port: number) {}
  get url(): string { return `redis://127.0.0.1:${this.port}`; }

  static async start(): Promise<RedisServer> {
    const r = new RedisServer(await freePort());
    await r.startAgain();
    return r;
  }

  async startAgain(): Promise<void> {
    this.proc = spawn(REDIS_SERVER, ["--port", String(this.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", this.dir], { stdio: ["ignore", "pipe", "pipe"] });
    await waitOutput(this.proc, /Ready to accept connections/, 10_000, "redis-server to start");
  }

  async stop(): Promise<void> {
    await stopProcess(this.proc);
  }

  async dispose(): Promise<void> {
    await this.stop();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A `scorelab worker` process; resolves once it listens. */
export async function startWorkerProcess(url: string, args: string[] = []): Promise<ChildProcess> {
  const p = spawn(process.execPath, [CLI, "worker", "--redis", url, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  await waitOutput(p, /listening on queue/, 20_000, "scorelab worker to start");
  return p;
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
