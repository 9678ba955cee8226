import { describe, expect, it } from '@jest/globals';
import { selectModel } from './model-selection.js';

describe('selectModel', () => {
  const candidates = {
    cnn: { accuracy: 0.98, macroF1: 0.979, trainSeconds: 90, confusionMatrix: [[1]] },
    svm: { accuracy: 0.965, macroF1: 0.964, trainSeconds: 7 },
    knn: { accuracy: 0.948, macroF1: 0.947, trainSeconds: 1 },
  };
  it('ranks by the metric and keeps every candidate’s numbers', () => {
    const selection = selectModel(candidates, 'accuracy', 'max');
    expect(selection.ranking).toEqual(['cnn', 'svm', 'knn']);
    expect(selection.best).toBe('cnn');
    expect(selection.models.svm).toEqual({ accuracy: 0.965, macroF1: 0.964, trainSeconds: 7 });
  });
  it('ranks the other way for a cost', () => {
    expect(selectModel(candidates, 'trainSeconds', 'min').ranking).toEqual(['knn', 'svm', 'cnn']);
  });
  it('names the candidate that lacks the metric', () => {
    expect(() => selectModel(candidates, 'rmse', 'min')).toThrow(
      'candidate cnn: expected a number for "rmse", got none; its metrics are accuracy, macroF1, trainSeconds',
    );
  });
});

describe('selectModel with an undefined metric', () => {
  it('ranks a NaN last, whichever the goal', () => {
    const candidates = { a: { rocAuc: 0.7 }, b: { rocAuc: NaN }, c: { rocAuc: 0.9 } };
    expect(selectModel(candidates, 'rocAuc', 'max').ranking).toEqual(['c', 'a', 'b']);
    expect(selectModel(candidates, 'rocAuc', 'min').ranking).toEqual(['a', 'c', 'b']);
  });
});
