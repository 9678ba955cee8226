// A rendered chart (SVG for reports and browsers, PNG for everything else, the Vega-Lite spec and
// the rows behind it): the FIGURE contract's type, defined once in @stagegraph/contracts.
export type { Figure, FigureTable } from '@stagegraph/contracts';
