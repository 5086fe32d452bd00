import table from './routes.json';

export type RouteName = keyof typeof table.rest;

/** The live endpoint's path. */
export const livePath: string = table.websocket.live;

export interface ResolvedRoute {
  method: string;
  path: string;
}

/** Fills a route's `{param}`s (each URL-encoded); a missing one is a programming error. */
export function resolveRoute(name: RouteName, params: Record<string, string> = {}): ResolvedRoute {
  const [method, template] = table.rest[name].split(' ') as [string, string];
  const path = template.replace(/\{(\w+)\}/g, (_, key: string) => {
    const value = params[key];
    if (value === undefined) {
      throw new TypeError(`${name}: missing ${key}`);
    }
    return encodeURIComponent(value);
  });
  return { method, path };
}
