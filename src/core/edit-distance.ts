/** Levenshtein distance, letters compared case-insensitively when `ignoreCase`. */
export function editDistance(a: string, b: string, ignoreCase = false): number {
  const same = ignoreCase ? (x: string, y: string) => x.toLowerCase() === y.toLowerCase() : (x: string, y: string) => x === y;
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (same(a[i - 1], b[j - 1]) ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length];
}

/**
 * The candidate within edit distance `max` (case-insensitive) of a misspelt name, nearest first. Names whose
 * lengths differ by more than `max` are never that close and are not compared, so a huge word costs nothing.
 */
export function closestName(word: string, candidates: Iterable<string>, max = 2): string | undefined {
  let best: { name: string; d: number } | undefined;
  for (const name of candidates) {
    if (Math.abs(name.length - word.length) > max) continue;
    const d = editDistance(word, name, true);
    if (d <= max && (best === undefined || d < best.d)) best = { name, d };
  }
  return best?.name;
}
