/**
 * Header names whose values are credentials, kept in the system keychain unless the user turns
 * "secret" off: the engine's rule (crates/engine/src/provider.rs `secret_by_default`), mirrored
 * so the form can show the toggle's default as the name is typed.
 */
const EXACT = ['authorization', 'proxy-authorization', 'api-key', 'x-api-key', 'x-goog-api-key', 'cookie'];

export function secretByDefault(name: string): boolean {
  const lower = name.trim().toLowerCase();
  return EXACT.includes(lower) || ['token', 'secret', 'key'].some((w) => lower.includes(w));
}
