/** Token scopes as typed: separated by spaces, commas or new lines; empty pieces and repeats dropped. */
export const splitScopes = (text: string): string[] => [...new Set(text.split(/[\s,]+/).filter(Boolean))];
