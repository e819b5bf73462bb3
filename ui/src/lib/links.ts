/**
 * The links a reply may hold: http, https and mailto, which open in the system browser or mail
 * client. Every other scheme (javascript:, file:, data:, custom app schemes) and relative or
 * fragment links are not links at all: model output must not open local files or other apps.
 */
const EXTERNAL = new Set(['http:', 'https:', 'mailto:']);

/** `href` when it is a link the app may open outside, else null. */
export function externalLink(href: string | null | undefined): string | null {
  if (!href) return null;
  const trimmed = href.trim();
  // Only absolute URLs: a relative one would resolve against the app's own origin.
  if (!/^[a-z][a-z0-9+.-]*:/i.test(trimmed)) return null;
  try {
    return EXTERNAL.has(new URL(trimmed).protocol) ? trimmed : null;
  } catch {
    return null;
  }
}
