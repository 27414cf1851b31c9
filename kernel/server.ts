/**
 * The Jupyter side: tslab's ZmqServer, subclassed to fix what it gets wrong — kernel_info with status,
 * execute_input, execute_result (not stdout), error messages with ename/evalue/traceback, a correct
 * comm_info_reply, silent executes — and to route cells through the scorelab executor. Sockets and the
 * receive path are scorelab's own (kernel/wire.ts): tslab's leaked the expected signature (issue 17).
 */
import { createRequire } from "module";
import * as jupyter from "tslab/dist/jupyter";
import { JupyterHandlerImpl, ZmqServer } from "tslab/dist/jupyter";
import type * as Zmq from "zeromq";
import { CellError, CellSink, KernelExecutor } from "./executor";
import { MimeBundle } from "../src/magics";
import { completeMagic, inspectMagic } from "../src/magics/complete";
import { publicCompletions } from "../src/magics/public-api";
import { quickInfoText } from "./quick-info";
import { endpoint, listensEverywhere, readConnection } from "./connection";
import { currentCell, kernelLog, runInCell } from "./output";
import { DropLog, LIMITS, parseFrames, ReplayGuard, Signer, WireMessage } from "./wire";
import { HistoryRequest, InputHistory } from "./history";

type Msg = Parameters<ZmqServer["handleExecute"]>[1];
type Sock = Parameters<ZmqServer["handleExecute"]>[0];

const VERSION: string = require("../../package.json").version;
const TS_VERSION: string = require("@tslab/typescript-for-tslab/package.json").version;

/** tslab's handler with magic-aware is_complete and a kernel_info that names scorelab and its backend. */
export class ScorelabHandler extends JupyterHandlerImpl {
  constructor(private readonly kx: KernelExecutor, private readonly banner: () => string) {
    super(kx.tslab, false);
  }
  handleKernel(): ReturnType<JupyterHandlerImpl["handleKernel"]> {
    const base = super.handleKernel();
    return {
      ...base,
      status: "ok",
      implementation: "scorelab",
      implementation_version: VERSION,
      language_info: { ...base.language_info, version: TS_VERSION },
      banner: this.banner(),
      help_links: [{ text: "scorelab magics: %lsmagic", url: "https://jupyter.org" }],
    } as ReturnType<JupyterHandlerImpl["handleKernel"]>;
  }
  handleIsComplete(req: Parameters<JupyterHandlerImpl["handleIsComplete"]>[0]): ReturnType<JupyterHandlerImpl["handleIsComplete"]> {
    return this.kx.isComplete(req.code);
  }
  /** Magic lines complete from the magic specs (names, flags, choices, notebook variables); the rest is tslab's. */
  handleComplete(req: Parameters<JupyterHandlerImpl["handleComplete"]>[0]): ReturnType<JupyterHandlerImpl["handleComplete"]> {
    const c = completeMagic(req.code, req.cursor_pos, this.kx.tslab.locals as Record<string, unknown>);
    if (!c) {
      const r = super.handleComplete(req);
      return { ...r, matches: publicCompletions(req.code, req.cursor_pos, r.matches) };
    }
    return { cursor_start: c.start, cursor_end: c.end, matches: c.matches, metadata: {}, status: "ok" } as ReturnType<JupyterHandlerImpl["handleComplete"]>;
  }
  /** Shift+Tab on a magic line shows the magic's `%name?` help; on code, the doc comment before the signature. */
  handleInspect(req: Parameters<JupyterHandlerImpl["handleInspect"]>[0]): ReturnType<JupyterHandlerImpl["handleInspect"]> {
    const help = inspectMagic(req.code, req.cursor_pos);
    if (help === null) {
      const info = this.kx.tslab.inspect(req.code, req.cursor_pos);
      if (!info) return { status: "ok", found: false, data: {}, metadata: {} } as ReturnType<JupyterHandlerImpl["handleInspect"]>;
      return { status: "ok", found: true, data: { "text/plain": quickInfoText(info) }, metadata: {} } as ReturnType<JupyterHandlerImpl["handleInspect"]>;
    }
    return { status: "ok", found: true, data: { "text/plain": help }, metadata: {} } as ReturnType<JupyterHandlerImpl["handleInspect"]>;
  }
}

/** tslab's public display API, routed to the cell whose async context calls it (nowhere outside a cell). */
function displayToCell(data: { data: MimeBundle; transient?: { display_id?: string } }, update: boolean): void {
  currentCell()?.display(data.data, data.transient?.display_id, update);
}

/** Serialises async work (cells must not interleave). */
class Queue {
  private tail: Promise<unknown> = Promise.resolve();
  run<T>(fn: () => Promise<T>): Promise<T> {
    const p = this.tail.then(fn, fn);
    this.tail = p.catch(() => undefined);
    return p;
  }
}

/** zeromq as tslab resolves it (it is tslab's dependency, not ours). */
const zmq: typeof Zmq = createRequire(require.resolve("tslab/dist/jupyter"))("zeromq");

function errText(e: unknown): string {
  return e instanceof Error ? (e.stack ?? e.message) : String(e);
}

export class ScorelabServer extends ZmqServer {
  private count = 0;
  private readonly queue = new Queue();
  /** Shell requests one at a time, as IPython handles them: busy, output, reply, idle, then the next request. */
  private readonly shellQueue = new Queue();
  private signer!: Signer;
  /** Shared by shell and control: a message accepted on one is a replay on the other too. */
  readonly replay = new ReplayGuard();
  readonly drops = new DropLog(kernelLog);

  constructor(private readonly kx: KernelExecutor, handler: ScorelabHandler, configPath: string) {
    super(handler, configPath);
  }

  private send(msg: Msg, type: string, content: object, sock: unknown = this.iopub): void {
    const m = msg.createReply();
    m.header.msg_type = type;
    m.content = content;
    m.signAndSend(this.connInfo.key, sock);
  }

  /** Replaces tslab's init: a checked connection file, sockets bound to its ip only, our own receive loops. */
  async init(): Promise<void> {
    const { conn, signer } = readConnection(this.configPath);
    this.connInfo = conn;
    this.signer = signer;
    (jupyter as { lastWriteDisplayData: unknown }).lastWriteDisplayData = displayToCell;
    WireMessage.onSendError = (e) => kernelLog(`send failed: ${e instanceof Error ? e.message : String(e)}`);
    if (!signer.enabled) kernelLog('the connection file\'s key is "": messages are not signed, any local process can run code');
    if (listensEverywhere(conn.ip)) kernelLog(`listening on all interfaces (ip ${conn.ip}), as the connection file asks`);
    this.iopub = new zmq.Publisher();
    this.shell = new zmq.Router();
    this.control = new zmq.Router();
    this.stdin = new zmq.Router();
    this.hb = new zmq.Reply();
    // libzmq disconnects a peer whose message part exceeds this instead of buffering it.
    for (const s of [this.shell, this.control, this.stdin, this.hb]) s.maxMessageSize = LIMITS.maxBytes;
    await Promise.all([
      this.iopub.bind(endpoint(conn, conn.iopub_port)),
      this.shell.bind(endpoint(conn, conn.shell_port)),
      this.control.bind(endpoint(conn, conn.control_port)),
      this.stdin.bind(endpoint(conn, conn.stdin_port)),
      this.hb.bind(endpoint(conn, conn.hb_port)),
    ]);
    void this.receive(this.shell, "shell");
    void this.receive(this.control, "control");
    void this.heartbeat();
  }

  private async receive(sock: Zmq.Router, channel: string): Promise<void> {
    try {
      // Control requests are answered at once; shell requests wait for the one before to finish (issue 21), so
      // the front-end's busy indicator covers every running cell and idle follows each request's own reply.
      for await (const frames of sock) {
        if (channel === "shell") void this.shellQueue.run(() => this.handleShellMessage(sock, ...frames));
        else void this.handleShellMessage(sock, ...frames);
      }
    } catch (e) {
      if (!sock.closed) kernelLog(`${channel} receive loop stopped: ${errText(e)}`);
    }
  }

  private async heartbeat(): Promise<void> {
    try {
      for await (const frames of this.hb) await this.hb.send(frames);
    } catch (e) {
      if (!this.hb.closed) kernelLog(`heartbeat stopped: ${errText(e)}`);
    }
  }

  /** Every frame set ends here: verified and parsed by parseFrames, dropped with a count, or handled. Never rejects. */
  async handleShellMessage(sock: Zmq.Router, ...frames: Buffer[]): Promise<void> {
    const channel = sock === this.control ? "control" : "shell";
    const r = parseFrames(frames, this.signer, this.replay);
    if (!r.ok) return this.drops.record(channel, r.reason);
    const msg = r.msg as unknown as Msg;
    const type = r.msg.header.msg_type;
    try {
      await this.dispatch(sock, msg, type);
    } catch (e) {
      kernelLog(`${channel} ${/^[a-z_]{1,64}$/.test(type) ? type : "message"} failed: ${errText(e)}`);
    }
  }

  private async dispatch(sock: Zmq.Router, msg: Msg, type: string): Promise<void> {
    // Own keys only: a msg_type such as "constructor" must not reach Object.prototype.
    const handle = Object.hasOwn(this.handlers, type) ? this.handlers[type] : undefined;
    if (!handle) {
      // Signed but not a request we serve (e.g. the kernel's own IOPub messages sent back): counted, not
      // logged one by one nor answered with a status, so a flood neither fills the log nor shows on IOPub.
      return this.drops.record(sock === this.control ? "control" : "shell", "unknown-type");
    }
    this.publishStatus("busy", msg);
    try {
      await handle(sock, msg);
    } finally {
      this.publishStatus("idle", msg);
    }
    if (type === "shutdown_request") this.close();
  }

  /** This session's inputs as (session, line, source), the rows history_request answers from. */
  readonly history = new InputHistory();

  handleHistory(sock: Sock, msg: Msg): void {
    this.send(msg, "history_reply", { status: "ok", history: this.history.answer(msg.content as HistoryRequest) }, sock);
  }

  private readonly handlers: Record<string, (sock: Zmq.Router, msg: Msg) => void | Promise<void>> = {
    history_request: (s, m) => this.handleHistory(s, m),
    kernel_info_request: (s, m) => this.handleKernelInfo(s, m),
    execute_request: (s, m) => this.handleExecute(s, m),
    is_complete_request: (s, m) => this.handleIsComplete(s, m),
    inspect_request: (s, m) => this.handleInspect(s, m),
    complete_request: (s, m) => this.handleComplete(s, m),
    comm_info_request: (s, m) => this.handleCommInfoRequest(s, m),
    shutdown_request: (s, m) => this.handleShutdown(s, m),
  };

  handleKernelInfo(sock: Sock, msg: Msg): void {
    this.send(msg, "kernel_info_reply", this.handler.handleKernel(), sock);
  }

  handleCommInfoRequest(sock: Sock, msg: Msg): void {
    this.send(msg, "comm_info_reply", { status: "ok", comms: {} }, sock);
  }

  async handleExecute(sock: Sock, msg: Msg): Promise<void> {
    const req = msg.content as { code: string; silent?: boolean; store_history?: boolean };
    await this.queue.run(async () => {
      const silent = !!req.silent;
      if (!silent && req.store_history !== false) this.count++;
      const count = this.count;
      if (!silent && req.store_history !== false) this.history.push([0, count, req.code]);
      if (!silent) this.send(msg, "execute_input", { code: req.code, execution_count: count });
      const sink: CellSink = silent
        ? { stream() {}, display() {}, result() {}, error() {} }
        : {
            stream: (name, text) => this.send(msg, "stream", { name, text }),
            display: (bundle: MimeBundle, id?: string, update?: boolean) =>
              this.send(msg, update ? "update_display_data" : "display_data", { data: bundle, metadata: {}, transient: id ? { display_id: id } : {} }),
            result: (bundle) => {
              if (typeof bundle["text/plain"] === "string") this.history.setOutput(count, bundle["text/plain"]);
              this.send(msg, "execute_result", { data: bundle, metadata: {}, execution_count: count });
            },
            error: (e: CellError) => this.send(msg, "error", e),
            clear: (wait: boolean) => this.send(msg, "clear_output", { wait }),
          };
      // Like IPython, output written later by async work of this cell still goes to this cell; what no cell
      // wrote (kernel diagnostics) goes to the kernel's stderr (kernel/output.ts).
      const err = await runInCell(sink, () => this.kx.execute(req.code, sink));
      const content = err
        ? { status: "error", execution_count: count, ename: err.ename, evalue: err.evalue, traceback: err.traceback }
        : { status: "ok", execution_count: count, payload: [], user_expressions: {} };
      this.send(msg, "execute_reply", content, sock);
    });
  }
}
