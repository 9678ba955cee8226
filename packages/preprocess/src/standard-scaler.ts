/** Scales numbers to mean 0 and standard deviation 1 by what `fit` saw, like scikit-learn's StandardScaler. */
export class StandardScaler {
  private constructor(
    readonly mean: number,
    readonly std: number,
  ) {}

  static fit(values: ArrayLike<number>): StandardScaler {
    if (values.length === 0) throw new Error('cannot fit a scaler on no values');
    let sum = 0;
    for (let i = 0; i < values.length; i++) sum += values[i];
    const mean = sum / values.length;
    let squares = 0;
    for (let i = 0; i < values.length; i++) squares += (values[i] - mean) ** 2;
    // a constant series has no spread: it scales by 1, as scikit-learn does, instead of dividing by 0
    return new StandardScaler(mean, Math.sqrt(squares / values.length) || 1);
  }

  transform(values: ArrayLike<number>): number[] {
    return Array.from(values, (v) => (v - this.mean) / this.std);
  }

  inverseTransform(values: ArrayLike<number>): number[] {
    return Array.from(values, (v) => v * this.std + this.mean);
  }
}
