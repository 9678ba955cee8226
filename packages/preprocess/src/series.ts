/** A dated series of numbers in ascending date order: what the CSV loader produces and splits keep. */
export interface Series {
  name: string;
  dates: string[];
  values: number[];
}
