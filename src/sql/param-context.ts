import { scanSync } from 'libpg-query';

export type ParamContext = 'limit' | 'offset' | 'interval' | 'date' | 'timestamp';

/** Where a parameter stands when no column gives it a value: LIMIT $n, OFFSET $n, $n::interval, $n::date. */
export function paramContext(text: string): Map<number, ParamContext> {
  const out = new Map<number, ParamContext>();
  let tokens;
  try {
    tokens = scanSync(text).tokens;
  } catch {
    return out;
  }
  tokens.forEach((t, i) => {
    if (t.tokenName !== 'PARAM') return;
    const n = Number(t.text.slice(1));
    const before = tokens[i - 1]?.text.toLowerCase();
    const castTo = tokens[i + 1]?.text === '::' ? tokens[i + 2]?.text.toLowerCase() : undefined;
    if (before === 'limit' || before === 'fetch') out.set(n, 'limit');
    else if (before === 'offset') out.set(n, 'offset');
    else if (castTo === 'interval') out.set(n, 'interval');
    else if (castTo === 'date') out.set(n, 'date');
    else if (castTo?.startsWith('timestamp')) out.set(n, 'timestamp');
  });
  return out;
}

/**
 * The text with each parameter written `$n::type` where a type is given (types[n-1], 'unknown' for none): the types
 * a PREPARE would have declared, for a statement sent with its values bound instead. The type names are the
 * checked ones of advisor/param-types (or 'text'); the parameters are found by the scanner, never in strings.
 */
export function withParamCasts(text: string, types: readonly string[]): string {
  let tokens;
  try {
    tokens = scanSync(text).tokens;
  } catch {
    return text;
  }
  let out = '';
  let at = 0;
  for (const t of tokens) {
    if (t.tokenName !== 'PARAM') continue;
    const type = types[Number(t.text.slice(1)) - 1];
    if (!type || type === 'unknown') continue;
    out += `${text.slice(at, t.end)}::${type}`;
    at = t.end;
  }
  return out + text.slice(at);
}
