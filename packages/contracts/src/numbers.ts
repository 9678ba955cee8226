import { z } from 'zod';

/**
 * Any JavaScript number, NaN and the infinities included: a metric can be NaN (MAPE of all-zero
 * actual values) or infinite, and a contract checks that a stage gave a number, not which.
 */
export const aNumber = z.custom<number>((value) => typeof value === 'number');

export const numberList = z.array(aNumber);
