/** The classical models this package trains: what a config's `model` param names. */
export const CLASSIFIER_KINDS = ['svm', 'knn', 'logistic-regression', 'random-forest', 'gradient-boosting'] as const;
export type ClassifierKind = (typeof CLASSIFIER_KINDS)[number];
