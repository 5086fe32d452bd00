import { problemText } from './problem';

/** Runs a call and rethrows its failure as the server's problem in words, for `useAction`'s alert. */
export async function explained<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw new Error(problemText(err));
  }
}

/** A JSON editor's text as a request body; a syntax error says so before anything is sent. */
export function parseBody<T>(text: string): T {
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    throw new Error(`Not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
}
