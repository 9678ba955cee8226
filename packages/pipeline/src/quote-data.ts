/** C0 and C1 control characters and DEL: a data file's bytes must not drive the user's terminal. */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
const QUOTED_CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

const hexEscape = (char: string) => `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`;

/**
 * Makes text safe to print: control characters other than tab and newline become `\xNN`. The
 * CLI and the server pass every message through it, whatever built the message.
 */
export function escapeControlCharacters(text: string): string {
  return text.replace(CONTROL, hexEscape);
}

/**
 * A value from a data file, quoted for an error message: every control character escaped
 * (newlines too, so the message stays one line) and cut to `max` characters.
 */
export function quoteData(value: string, max = 60): string {
  const shown = value.length > max ? `${value.slice(0, max)}...` : value;
  return `"${shown.replace(QUOTED_CONTROL, hexEscape)}"`;
}
