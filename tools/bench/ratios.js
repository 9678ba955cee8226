// How results compare, one definition for every table the bench prints.

/** Units where a smaller number is better (time per epoch or per call). */
export const LOWER_IS_BETTER = new Set(['s/epoch', 's', 'ms/call']);

/** How much faster `fast` is than `slow`: >1 when `fast` is faster, whichever way its unit points. */
export const speedup = (fast, slow) =>
  fast?.value && slow?.value
    ? LOWER_IS_BETTER.has(fast.unit)
      ? slow.value / fast.value
      : fast.value / slow.value
    : undefined;

/** A result as `1234.5 samples/s`, `0.17 s/epoch` or its error, cut short. */
export const fmt = (r) =>
  r ? (r.error ? `error: ${r.error.slice(0, 40)}` : `${r.value.toFixed(r.value < 10 ? 2 : 1)} ${r.unit}`) : '-';

export const times = (ratio) => (ratio ? `${ratio.toFixed(2)}x` : '-');
