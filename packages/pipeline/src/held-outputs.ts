import type { CodecRegistry } from './codec.js';
import type { StageOutputs } from './stage-definition.js';
import type { ValidatedStage } from './validate-config.js';

/**
 * The outputs of one run, each released (disposed through its codec) once every stage that reads
 * it has finished, so a run's peak memory is what its live stages hold, not the sum of every output.
 * Outputs the caller wants (`keep`) live until `releaseAll`, at the end of the run. A value held by
 * two stages (a stage passing an input through) is disposed when the last of them lets go.
 */
export class HeldOutputs {
  // stage id -> stages that read it and have not finished yet
  private readonly readersLeft = new Map<string, Set<string>>();
  // stage id -> its outputs with the kind of codec that disposes each
  private readonly byStage = new Map<string, { kind: string; value: unknown }[]>();
  // value -> how many stages hold it
  private readonly holds = new Map<unknown, number>();

  constructor(
    private readonly stages: ValidatedStage[],
    private readonly codecs: CodecRegistry,
    private readonly keep: (stage: ValidatedStage) => boolean,
  ) {
    for (const reader of stages) {
      for (const { stage } of Object.values(reader.inputs)) {
        if (!this.readersLeft.has(stage)) this.readersLeft.set(stage, new Set());
        this.readersLeft.get(stage)!.add(reader.id);
      }
    }
  }

  hold(stage: ValidatedStage, outputs: StageOutputs): void {
    const held = Object.entries(stage.definition.outputs).map(([port, spec]) => ({
      kind: spec.kind,
      value: outputs[port],
    }));
    this.byStage.set(stage.id, held);
    for (const { value } of held) this.holds.set(value, (this.holds.get(value) ?? 0) + 1);
  }

  /** `stage` has its result (computed or loaded): the stages it read may no longer be needed. */
  finished(stage: ValidatedStage): void {
    for (const producer of new Set(Object.values(stage.inputs).map((ref) => ref.stage))) {
      const readers = this.readersLeft.get(producer)!;
      readers.delete(stage.id);
      const definition = this.stages.find((s) => s.id === producer)!;
      if (readers.size === 0 && !this.keep(definition)) this.release(producer);
    }
  }

  releaseAll(): void {
    for (const stageId of [...this.byStage.keys()]) this.release(stageId);
  }

  private release(stageId: string): void {
    for (const { kind, value } of this.byStage.get(stageId) ?? []) {
      const left = (this.holds.get(value) ?? 1) - 1;
      if (left > 0) {
        this.holds.set(value, left);
        continue;
      }
      this.holds.delete(value);
      this.codecs.get(kind).dispose?.(value);
    }
    this.byStage.delete(stageId);
  }
}
