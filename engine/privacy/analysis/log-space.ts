/**
 * Arithmetic on numbers stored as their natural logarithm, so that the moments A_α of the sampled
 * Gaussian (which reach e^1000 and beyond at large orders) never overflow. Zero is −∞.
 */

/** log(e^logX + e^logY). */
export function logAdd(logX: number, logY: number): number {
  const low = Math.min(logX, logY);
  const high = Math.max(logX, logY);
  if (low === -Infinity) return high;
  return Math.log1p(Math.exp(low - high)) + high;
}

/** log(e^logX − e^logY); the difference must not be negative. */
export function logSub(logX: number, logY: number): number {
  if (logX < logY) {
    throw new Error(`log-space subtraction would be negative: log x = ${logX} < log y = ${logY}`);
  }
  if (logY === -Infinity) return logX;
  if (logX === logY) return -Infinity;
  const gap = logX - logY;
  // e^gap − 1 overflows past ~709; there e^logY is negligible next to e^logX.
  if (gap > 700) return logX;
  return Math.log(Math.expm1(gap)) + logY;
}
