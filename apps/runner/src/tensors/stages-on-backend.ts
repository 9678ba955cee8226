import type { ValidatedPipeline } from '@stagegraph/pipeline';
import { from, isObservable, switchMap } from 'rxjs';

/**
 * The pipeline with each stage's run waiting for the tensor backend first: TensorFlow.js loads and
 * the backend starts when the first stage computes, so a run whose every stage comes from the cache
 * loads neither. Everything else about a stage (type, version, ports, fingerprint) is its own.
 */
export function stagesOnBackend(pipeline: ValidatedPipeline, ready: () => Promise<unknown>): ValidatedPipeline {
  const stages = pipeline.stages.map((stage) => {
    const { run } = stage.definition;
    const waiting: typeof run = (inputs, params, context) =>
      from(ready()).pipe(
        switchMap(() => {
          const result = run(inputs, params, context);
          return isObservable(result) ? result : from(Promise.resolve(result));
        }),
      );
    return { ...stage, definition: { ...stage.definition, run: waiting } };
  });
  return { ...pipeline, stages };
}
