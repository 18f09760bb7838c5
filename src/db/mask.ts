/** Replace the password of a postgres URL with "****" so that it never reaches a message. */
export function maskUrl(url: string): string {
  return url.replace(/^(\w+:\/\/[^:/@]*:)([^@]*)(@)/, '$1****$3').replace(/([?&]password=)[^&]*/gi, '$1****');
}

/** Remove every occurrence of known secrets from a message. */
export function maskSecrets(message: string, secrets: readonly (string | undefined)[]): string {
  let out = message;
  for (const secret of secrets) {
    if (secret && secret.length > 0) out = out.split(secret).join('****');
  }
  return out.replace(/(\w+:\/\/[^:/@\s]*:)([^@\s]*)(@)/g, '$1****$3');
}
