const DAY_MS = 86_400_000;

/**
 * The UTC year, month (1-12) and day of the week (0 = Sunday) of epoch milliseconds, by arithmetic
 * (H. Hinnant's civil-from-days), written into `out` in DATE_PARTS order: two million dates need no
 * object each.
 */
export function dateParts(ms: number, out: Float64Array = new Float64Array(3)): Float64Array {
  const days = Math.floor(ms / DAY_MS);
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const shifted = Math.floor((5 * dayOfYear + 2) / 153); // months from March
  const month = shifted < 10 ? shifted + 3 : shifted - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  const dayOfWeek = (((days + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday
  out[0] = year;
  out[1] = month;
  out[2] = dayOfWeek;
  return out;
}
