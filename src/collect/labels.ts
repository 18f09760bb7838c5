/**
 * Whether a value of an enum-like column looks like a label (`active`, `past_due`, `Gold plan`) rather than
 * data that identifies someone or grants access: short, no long digit run (card, phone or account numbers),
 * no @ (emails), no URL, and not token-like (a long unbroken mix of letters and digits).
 */
export function isLabel(value: string): boolean {
  if (value.length === 0 || value.length > 32) return false;
  if (!/^[\p{L}\p{N}][\p{L}\p{N} _.\-/]*$/u.test(value)) return false;
  if (/\d{5,}/.test(value)) return false;
  if (/@|:\/\/|^www\./i.test(value)) return false;
  // Token-like: a long unbroken run of letters mixed with digits (sk_live_4eC39Hq…, an API key, a session id).
  const tokenLike = value.split(/[ _.\-/]/).some((part) => part.length >= 12 && /\d/.test(part) && /\p{L}/u.test(part));
  return !tokenLike;
}
