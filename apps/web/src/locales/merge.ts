type UnionToIntersection<U> = (U extends unknown ? (room: U) => void : never) extends (room: infer I) => void ? I : never;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function mergeInto(target: Record<string, unknown>, source: Record<string, unknown>, path: string): Record<string, unknown> {
  for (const [key, value] of Object.entries(source)) {
    const here = path ? `${path}.${key}` : key;
    const existing = target[key];
    if (existing === undefined) target[key] = isPlainObject(value) ? mergeInto({}, value, here) : value;
    else if (isPlainObject(existing) && isPlainObject(value)) mergeInto(existing, value, here);
    else throw new Error(`locales: the message ${here} is written in two rooms`);
  }
  return target;
}

/**
 * One language's messages from its rooms' files (shared, accounts, venues, …). Two rooms may each add
 * to the same group (`console`, `resident`), never to the same message: a key written twice throws.
 */
export function mergeRooms<R extends Record<string, unknown>[]>(...rooms: R): UnionToIntersection<R[number]> {
  const merged: Record<string, unknown> = {};
  for (const room of rooms) mergeInto(merged, room, '');
  return merged as UnionToIntersection<R[number]>;
}
