import { DataError } from '@stagegraph/pipeline';

export interface Windows {
  /** windows[i] holds `seqLength` consecutive values... */
  inputs: number[][];
  /** ...and targets[i] the value right after them. */
  targets: number[];
}

/** Every window of `seqLength` values with the next value as its target. */
export function slidingWindows(values: ArrayLike<number>, seqLength: number, what = 'series'): Windows {
  if (values.length <= seqLength) {
    throw new DataError(
      `${what}: expected more than seqLength=${seqLength} values to make windows, got ${values.length}`,
    );
  }
  const inputs: number[][] = [];
  const targets: number[] = [];
  for (let end = seqLength; end < values.length; end++) {
    inputs.push(Array.from({ length: seqLength }, (_, k) => values[end - seqLength + k]));
    targets.push(values[end]);
  }
  return { inputs, targets };
}

/**
 * One window per value of `following`, each made of the `seqLength` values before it, which may
 * reach back into `preceding`. Targets are all in `following`: a test window's inputs may come from
 * the training period (known on that day), its target never does.
 */
export function windowsAfter(preceding: ArrayLike<number>, following: ArrayLike<number>, seqLength: number): Windows {
  if (preceding.length < seqLength) {
    throw new DataError(
      `train: expected at least seqLength=${seqLength} values before the test period, got ${preceding.length}`,
    );
  }
  const context = [...Array.from(preceding).slice(-seqLength), ...Array.from(following)];
  return slidingWindows(context, seqLength, 'test');
}
