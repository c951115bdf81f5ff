/**
 * The index of the last element of `sorted` (ascending, with sorted[0] <= value) that is at most
 * `value`: the line, piece or character an offset falls in, given where each one starts.
 */
export function lastAtOrBefore(sorted: ArrayLike<number>, value: number): number {
  let low = 0;
  let high = sorted.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (sorted[mid] <= value) {
      low = mid;
    } else {
      high = mid - 1;
    }
  }
  return low;
}
