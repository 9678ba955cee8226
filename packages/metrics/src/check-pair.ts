/** Every metric compares one prediction per actual value, and needs at least one. */
export function checkPair(actual: ArrayLike<number>, predicted: ArrayLike<number>): void {
  if (actual.length !== predicted.length)
    throw new Error(`expected as many predictions as actual values, got ${predicted.length} for ${actual.length}`);
  if (actual.length === 0) throw new Error('expected at least one value, got none');
}
