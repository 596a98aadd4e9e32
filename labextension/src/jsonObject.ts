/**
 * Output data and server messages arrive as JSON text, or already parsed should a frontend
 * have done it: one reading of both.
 */

/** The JSON object `value` holds (as text or as an object); null for anything else. */
export function jsonObject(value: unknown): Record<string, unknown> | null {
  let data = value;
  if (typeof value === 'string') {
    try {
      data = JSON.parse(value);
    } catch {
      return null;
    }
  }
  return data && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>) : null;
}
