import type { Severity } from '../model/severity.js';

/** Colors, unless NO_COLOR is set (https://no-color.org): then every color is undefined and text is plain. */
export function colorsEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.NO_COLOR === undefined || env.NO_COLOR === '';
}

const SEVERITY_COLORS: Record<Severity, string> = { critical: 'magenta', high: 'red', medium: 'yellow', low: 'cyan', info: 'gray' };

export interface Theme {
  readonly severity: (s: Severity) => string | undefined;
  readonly accent: string | undefined;
  readonly dim: boolean;
  readonly keyword: string | undefined;
  readonly ok: string | undefined;
  readonly error: string | undefined;
}

export function theme(enabled: boolean): Theme {
  return {
    severity: (s) => (enabled ? SEVERITY_COLORS[s] : undefined),
    accent: enabled ? 'cyan' : undefined,
    dim: enabled,
    keyword: enabled ? 'blue' : undefined,
    ok: enabled ? 'green' : undefined,
    error: enabled ? 'red' : undefined,
  };
}
