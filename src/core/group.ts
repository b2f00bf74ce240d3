/** Items by key, each list in the items' order; an item whose key is undefined is left out. */
export function groupBy<T, K>(items: Iterable<T>, key: (item: T) => K | undefined): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    if (k === undefined) continue;
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

/** The first item of each key, in the items' order; an item whose key is undefined is left out. */
export function firstBy<T, K>(items: Iterable<T>, key: (item: T) => K | undefined): Map<K, T> {
  const firsts = new Map<K, T>();
  for (const item of items) {
    const k = key(item);
    if (k !== undefined && !firsts.has(k)) firsts.set(k, item);
  }
  return firsts;
}
