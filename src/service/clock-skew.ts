/** When to evaluate a snapshot, and how far the host's clock was off. */
export interface EvaluationTime {
  /** Evidence time: takenAt, corrected by the skew when the skew is beyond the bound; never later than receipt. */
  at: Date;
  /** The host's clock minus the service's, in ms; null when it cannot be measured. */
  skewMs: number | null;
}

/**
 * Pure: measure a probe's clock skew and pick the evaluation time. With the probe's send time (X-Gpuwarden-Sent-At)
 * skew = sentAt − receivedAt, which also holds for spooled snapshots sent late; without it only a snapshot from the
 * future shows skew (takenAt − receivedAt). Beyond `maxSkewMs` the snapshot is evaluated at takenAt − skew.
 */
export function evaluationTime(takenAt: string, receivedAt: Date, sentAt: Date | null, maxSkewMs: number): EvaluationTime {
  const takenMs = Date.parse(takenAt);
  const receivedMs = receivedAt.getTime();
  const sentMs = sentAt === null ? Number.NaN : sentAt.getTime();
  let skewMs: number | null = null;
  if (Number.isFinite(sentMs)) skewMs = sentMs - receivedMs;
  else if (takenMs > receivedMs) skewMs = takenMs - receivedMs;
  const correctedMs = skewMs !== null && Math.abs(skewMs) > maxSkewMs ? takenMs - skewMs : takenMs;
  return { at: new Date(Math.min(correctedMs, receivedMs)), skewMs };
}
