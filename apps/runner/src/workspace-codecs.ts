import { tableCodec, tableModelCodec } from '@stagegraph/contracts';
import { CodecRegistry, type Codec } from '@stagegraph/pipeline';
import { loadedTensorRuntime, loadTensorRuntime, type LazyBackend } from './tensors/lazy-backend.js';

/**
 * A codec whose implementation loads the first time it stores or reads a value. A value it disposes
 * was read by it or made by a stage, and a run starts the tensor runtime before any stage computes
 * (`stagesOnBackend`), so by then the implementation is there (`loaded`).
 */
function lazyCodec(kind: string, load: () => Promise<Codec>, loaded: () => Codec | undefined = () => undefined): Codec {
  let codec: Codec | undefined;
  const ready = async () => (codec ??= await load());
  return {
    kind,
    save: async (value, dir, name) => (await ready()).save(value, dir, name),
    load: async (dir, name) => (await ready()).load(dir, name),
    dispose: (value) => (codec ?? loaded())?.dispose?.(value),
  };
}

/**
 * How each port kind is stored: json and metrics from the engine, tables as typed-array files, table model cards as table-model.json; tensors and models (TensorFlow.js,
 * on `backend`, started first) and figures (vega) loaded when a value of theirs is stored or read,
 * so a command that stores none loads neither.
 */
export function workspaceCodecs(backend?: LazyBackend): CodecRegistry {
  const tensors = async () => (await backend?.select(), await loadTensorRuntime());
  return new CodecRegistry()
    .register(tableCodec)
    .register(tableModelCodec)
    .register(
      lazyCodec(
        'tensor',
        async () => (await tensors()).tensorCodec,
        () => loadedTensorRuntime()?.tensorCodec,
      ),
    )
    .register(
      lazyCodec(
        'model',
        async () => (await tensors()).modelCodec,
        () => loadedTensorRuntime()?.modelCodec,
      ),
    )
    .register(lazyCodec('figure', async () => (await import('./figure-codec.js')).figureCodec));
}

/** The port kinds a codec stores: a plugin stage's ports must be of these (checked when it is loaded). */
export const PORT_KINDS = workspaceCodecs().kinds();
