/**
 * The Jupyter side: tslab's ZmqServer, subclassed to fix what it gets wrong — kernel_info with status,
 * execute_input, execute_result (not stdout), error messages with ename/evalue/traceback, a correct
 * comm_info_reply, silent executes — and to route cells through the scorelab executor.
 */
import * as jupyter from "tslab/dist/jupyter";
import { JupyterHandlerImpl, ZmqServer } from "tslab/dist/jupyter";
import { CellError, CellSink, KernelExecutor } from "./executor";
import { MimeBundle } from "../src/magics";

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

export class ScorelabServer extends ZmqServer {
  private count = 0;
  private readonly queue = new Queue();

  constructor(private readonly kx: KernelExecutor, handler: ScorelabHandler, configPath: string) {
    super(handler, configPath);
  }

  private send(msg: Msg, type: string, content: object, sock: unknown = this.iopub): void {
    const m = msg.createReply();
    m.header.msg_type = type;
    m.content = content;
    m.signAndSend(this.connInfo.key, sock);
  }

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
      if (!silent) this.send(msg, "execute_input", { code: req.code, execution_count: count });
      const sink: CellSink = silent
        ? { stream() {}, display() {}, result() {}, error() {} }
        : {
            stream: (name, text) => this.send(msg, "stream", { name, text }),
            display: (bundle: MimeBundle, id?: string, update?: boolean) =>
              this.send(msg, update ? "update_display_data" : "display_data", { data: bundle, metadata: {}, transient: id ? { display_id: id } : {} }),
            result: (bundle) => this.send(msg, "execute_result", { data: bundle, metadata: {}, execution_count: count }),
            error: (e: CellError) => this.send(msg, "error", e),
          };
      // Like IPython, output written later by async work of this cell still goes to this cell.
      process.stdout.write = ((chunk: string | Uint8Array) => { sink.stream("stdout", typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8")); return true; }) as typeof process.stdout.write;
      process.stderr.write = ((chunk: string | Uint8Array) => { sink.stream("stderr", typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8")); return true; }) as typeof process.stderr.write;
      (jupyter as { lastWriteDisplayData: unknown }).lastWriteDisplayData = (data: { data: MimeBundle; transient?: { display_id?: string } }, update: boolean) =>
        sink.display(data.data, data.transient?.display_id, update);
      const err = await this.kx.execute(req.code, sink);
      const content = err
        ? { status: "error", execution_count: count, ename: err.ename, evalue: err.evalue, traceback: err.traceback }
        : { status: "ok", execution_count: count, payload: [], user_expressions: {} };
      this.send(msg, "execute_reply", content, sock);
    });
  }
}
