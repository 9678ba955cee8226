// jstat ships no types; this is the one function StageGraph uses (Student's t distribution).
declare module 'jstat' {
  const jStat: { studentt: { cdf(x: number, degreesOfFreedom: number): number } };
  export default jStat;
}
