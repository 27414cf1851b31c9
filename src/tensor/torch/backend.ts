/**
 * The `torch` tfjs backend: tensors live in libtorch (on CPU or CUDA), keyed by tfjs data ids that hold an addon
 * handle; every kernel runs an ATen function (src/tensor/torch/kernels.ts). tfjs's engine, tape and tidy are
 * unchanged above it. Reads and writes are the only copies; disposing a tensor frees its storage at once.
 */
import * as tf from "@tensorflow/tfjs";
import { TorchAddon } from "./addon";

/** A tfjs data id of this backend: the addon handle plus tfjs's reference count (variables share data ids). */
export interface TorchData { handle: number; refs: number }

const DTYPES: tf.DataType[] = ["float32", "int32", "bool"];

export class TorchBackend extends tf.KernelBackend {
  private readonly ids = new Set<TorchData>();
  private readonly opCache: Record<string, number>;

  constructor(readonly addon: TorchAddon) {
    super();
    this.opCache = addon.opIds();
  }

  /** The addon op id of a kernel, or undefined when the addon has none. */
  opId(kernel: string): number | undefined { return this.opCache[kernel]; }

  private store(handle: number): TorchData {
    const d: TorchData = { handle, refs: 1 };
    this.ids.add(d);
    return d;
  }

  write(values: tf.BackendValues, shape: number[], dtype: tf.DataType): tf.DataId {
    return this.store(this.addon.write(this.typed(values, dtype), shape, dtype));
  }

  move(dataId: tf.DataId, values: tf.BackendValues, shape: number[], dtype: tf.DataType, refCount: number): void {
    const d = dataId as TorchData;
    d.handle = this.addon.write(this.typed(values, dtype), shape, dtype);
    d.refs = refCount;
    this.ids.add(d);
  }

  private typed(values: tf.BackendValues, dtype: tf.DataType): Float32Array | Int32Array | Uint8Array {
    if (dtype === "string" || dtype === "complex64") throw new Error(`the torch backend has no ${dtype} tensors (float32, int32 and bool only)`);
    if (values == null) throw new Error("the torch backend cannot write a tensor without values");
    if (dtype === "float32") return values instanceof Float32Array ? values : Float32Array.from(values as ArrayLike<number>);
    if (dtype === "int32") return values instanceof Int32Array ? values : Int32Array.from(values as ArrayLike<number>);
    return values instanceof Uint8Array ? values : Uint8Array.from(values as ArrayLike<number>);
  }

  /** Wraps an addon result handle as a tfjs TensorInfo. */
  info(handle: number, dtypeCode: number, shape: number[]): tf.TensorInfo {
    return { dataId: this.store(handle), shape, dtype: DTYPES[dtypeCode] };
  }

  /** Makes a tensor from host values (for kernels whose result is computed on the JS side). */
  makeTensorInfo(shape: number[], dtype: tf.DataType, values: tf.BackendValues): tf.TensorInfo {
    return { dataId: this.write(values, shape, dtype), shape, dtype };
  }

  handleOf(t: tf.TensorInfo): number {
    const d = t.dataId as TorchData;
    if (!this.ids.has(d)) throw new Error("the torch backend was given a tensor it does not own (made on another backend and not moved)");
    return d.handle;
  }

  readSync(dataId: tf.DataId): tf.BackendValues { return this.addon.read((dataId as TorchData).handle); }
  async read(dataId: tf.DataId): Promise<tf.BackendValues> { return this.readSync(dataId); }

  disposeData(dataId: tf.DataId, force = false): boolean {
    const d = dataId as TorchData;
    if (!this.ids.has(d)) return true;
    d.refs--;
    if (!force && d.refs > 0) return false;
    this.addon.free(d.handle);
    this.ids.delete(d);
    return true;
  }

  incRef(dataId: tf.DataId): void { const d = dataId as TorchData; if (this.ids.has(d)) d.refs++; }
  refCount(dataId: tf.DataId): number { const d = dataId as TorchData; return this.ids.has(d) ? d.refs : 0; }
  numDataIds(): number { return this.ids.size; }

  memory(): { unreliable: boolean; reasons?: string[]; numBytesInTorch: number; numTorchTensors: number } {
    const m = this.addon.memory();
    return { unreliable: false, numBytesInTorch: m.bytes, numTorchTensors: m.tensors };
  }

  floatPrecision(): 32 { return 32; }
  epsilon(): number { return 1e-7; }
  timerAvailable(): boolean { return true; }
  async time(f: () => void): Promise<tf.BackendTimingInfo> {
    const start = process.hrtime.bigint();
    f();
    this.addon.sync();
    return { kernelMs: Number(process.hrtime.bigint() - start) / 1e6 };
  }
  dispose(): void {
    for (const d of this.ids) this.addon.free(d.handle);
    this.ids.clear();
  }
}
