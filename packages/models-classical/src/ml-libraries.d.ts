// Types for the parts of the ml.js and libsvm-js packages this package uses (they ship none).

declare module 'ml-knn' {
  export default class KNN {
    constructor(dataset: number[][], labels: number[], options?: { k?: number });
    predict(dataset: number[][]): number[];
    toJSON(): object;
    static load(model: object): KNN;
  }
}

declare module 'ml-logistic-regression' {
  import type { Matrix } from 'ml-matrix';
  export default class LogisticRegression {
    constructor(options?: { numSteps?: number; learningRate?: number });
    train(x: Matrix, y: Matrix): void;
    predict(x: Matrix): number[];
    toJSON(): object;
    static load(model: object): LogisticRegression;
  }
}

declare module 'libsvm-js/asm.js' {
  export default class SVM {
    static SVM_TYPES: { C_SVC: number; EPSILON_SVR: number };
    static KERNEL_TYPES: { LINEAR: number; POLYNOMIAL: number; RBF: number };
    constructor(options: {
      type?: number;
      kernel?: number;
      gamma?: number;
      cost?: number;
      degree?: number;
      epsilon?: number;
      quiet?: boolean;
    });
    train(samples: ArrayLike<number>[], labels: ArrayLike<number>): void;
    predict(samples: number[][]): number[];
    predictOne(sample: ArrayLike<number>): number;
    serializeModel(): string;
    free(): void;
    static load(serialized: string): SVM;
  }
}
