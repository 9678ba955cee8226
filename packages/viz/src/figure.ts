/** A rendered chart: SVG for reports and browsers, PNG for everything else. */
export interface Figure {
  title: string;
  svg: string;
  png: Uint8Array;
}
