/** Single-quotes a word for a POSIX shell. */
export const shellQuote = (word: string) => `'${word.replace(/'/g, `'\\''`)}'`;

/**
 * A curl command that reads the same resource. The key is never written into it: the command names
 * the `SPECTRAL_API_KEY` variable, so a pasted command leaks nothing.
 */
export function curlFor(origin: string, path: string): string {
  return `curl -sS -H "X-API-Key: $SPECTRAL_API_KEY" ${shellQuote(origin + path)}`;
}
