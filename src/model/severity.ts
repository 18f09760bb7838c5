/** Severity order, most severe first. The index is the rank used for sorting and `--fail-on`. */
export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const CATEGORIES = ['performance', 'integrity', 'security'] as const;
export type Category = (typeof CATEGORIES)[number];

export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

/** True when `severity` is at least as severe as `threshold`. */
export function reaches(severity: Severity, threshold: Severity): boolean {
  return severityRank(severity) <= severityRank(threshold);
}

export function isSeverity(value: string): value is Severity {
  return (SEVERITIES as readonly string[]).includes(value);
}

/** Move a severity by `steps` (positive = less severe), clamped to the scale. */
export function lowerSeverity(severity: Severity, steps = 1): Severity {
  const rank = Math.min(SEVERITIES.length - 1, Math.max(0, severityRank(severity) + steps));
  return SEVERITIES[rank] as Severity;
}
