/**
 * Reads and checks a Jupyter connection file before any socket exists, so a bad file is a clear error at start
 * rather than a kernel that silently accepts unsigned messages or listens everywhere.
 */
import * as fs from "fs";
import { createSigner, Signer } from "./wire";

export interface Connection {
  transport: "tcp" | "ipc";
  ip: string;
  key: string;
  signature_scheme: string;
  kernel_name: string;
  shell_port: number; iopub_port: number; stdin_port: number; control_port: number; hb_port: number;
}

const PORTS = ["shell_port", "iopub_port", "stdin_port", "control_port", "hb_port"] as const;

/**
 * The connection file's settings (defaults as Jupyter's: tcp, 127.0.0.1, hmac-sha256) and its signer.
 * @example readConnection("/run/user/1000/jupyter/kernel-1.json").conn.ip  // "127.0.0.1"
 */
export function readConnection(file: string): { conn: Connection; signer: Signer } {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    throw new Error(`connection file ${file}: ${(e as Error).message}`);
  }
  if (raw === null || typeof raw !== "object") throw new Error(`connection file ${file}: not a JSON object`);
  const transport = raw.transport ?? "tcp";
  if (transport !== "tcp" && transport !== "ipc") throw new Error(`connection file: unsupported transport ${JSON.stringify(transport)}`);
  const ip = raw.ip ?? "127.0.0.1";
  if (typeof ip !== "string" || !ip) throw new Error('connection file: "ip" must be a non-empty string');
  for (const p of PORTS) {
    const v = raw[p];
    if (!Number.isInteger(v) || (v as number) < 1 || (v as number) > 65535) throw new Error(`connection file: "${p}" must be a port number`);
  }
  const signature_scheme = (raw.signature_scheme ?? "hmac-sha256") as string;
  const signer = createSigner(signature_scheme, raw.key);
  const conn = { ...raw, transport, ip, signature_scheme, key: raw.key as string, kernel_name: String(raw.kernel_name ?? "scorelab") } as Connection;
  return { conn, signer };
}

/** The address one socket binds: only the file's ip (Jupyter writes 127.0.0.1 unless told otherwise). */
export function endpoint(conn: Connection, port: number): string {
  return conn.transport === "ipc" ? `ipc://${conn.ip}-${port}` : `tcp://${conn.ip}:${port}`;
}

/** True when the ip accepts connections from other machines too (worth a warning at start). */
export function listensEverywhere(ip: string): boolean {
  return ["0.0.0.0", "*", "::", "[::]"].includes(ip);
}
