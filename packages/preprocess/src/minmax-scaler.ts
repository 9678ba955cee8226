import type { ScalerState } from '@stagegraph/contracts';

/** Scales numbers to [0, 1] by the minimum and maximum seen in `fit`, like scikit-learn's MinMaxScaler. */
export class MinMaxScaler {
  private constructor(
    readonly min: number,
    readonly max: number,
  ) {}

  static fit(values: ArrayLike<number>): MinMaxScaler {
    if (values.length === 0) throw new Error('cannot fit a scaler on no values');
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < values.length; i++) {
      min = Math.min(min, values[i]);
      max = Math.max(max, values[i]);
    }
    return new MinMaxScaler(min, max);
  }

  static fromJSON(json: ScalerState): MinMaxScaler {
    return new MinMaxScaler(json.min, json.max);
  }

  /** A constant series has no range: it scales by 1, as scikit-learn does, instead of dividing by 0. */
  private get range(): number {
    return this.max - this.min || 1;
  }

  transform(values: ArrayLike<number>): number[] {
    return Array.from(values, (v) => (v - this.min) / this.range);
  }

  inverseTransform(values: ArrayLike<number>): number[] {
    return Array.from(values, (v) => v * this.range + this.min);
  }

  toJSON(): ScalerState {
    return { min: this.min, max: this.max };
  }
}
