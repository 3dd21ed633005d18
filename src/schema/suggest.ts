/**
 * "Did you mean": the known name closest to a written one, within an edit distance of 2.
 */

/** Levenshtein distance, stopping early once it exceeds `limit`. */
export function editDistance(a: string, b: string, limit = Number.POSITIVE_INFINITY): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMinimum = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      current.push(value);
      rowMinimum = Math.min(rowMinimum, value);
    }
    if (rowMinimum > limit) return limit + 1;
    previous = current;
  }
  return previous[b.length]!;
}

export const suggestionDistance = 2;

/**
 * The candidate nearest to `written` (ignoring case) at distance ≤ 2, the first in `candidates`
 * order on a tie; undefined when none is that close. A candidate equal but for case is nearest.
 */
export function closest(written: string, candidates: readonly string[]): string | undefined {
  const lower = written.toLowerCase();
  let best: string | undefined;
  let bestDistance = suggestionDistance + 1;
  for (const candidate of candidates) {
    if (candidate === written) continue;
    const distance = editDistance(lower, candidate.toLowerCase(), suggestionDistance);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}
