/** What each `stagegraph init` template starts, as its package.json says. */
export const TEMPLATE_DESCRIPTIONS = {
  plugin: 'A StageGraph plugin: stages of your own beside the built-in ones.',
  forecast: 'A StageGraph forecasting pipeline: weekly closes backtested against baselines, with a stage of its own.',
  digits: 'A StageGraph MNIST pipeline: the origin CNN, with a stage of its own that checks the class balance.',
  images:
    'A StageGraph image pipeline: your own folder of class subfolders (a sample of shapes included), a small CNN, with a stage of its own that counts the images per class.',
  table:
    'A StageGraph table pipeline: your own file and label, models ranked against a baseline, with a stage of its own that checks the class balance.',
} as const;
export type TemplateName = keyof typeof TEMPLATE_DESCRIPTIONS;
export const TEMPLATES = Object.keys(TEMPLATE_DESCRIPTIONS) as TemplateName[];
