/**
 * Deployment settings, read from the function's environment (set in the cloud console, or by the
 * local cloud). Never from the app, never committed.
 */
export interface Settings {
  /** Secret for opaque per-user keys derived from the OPENID. */
  idSecret: string;
  /** The first admins, by OPENID: the app can never make an admin. */
  adminOpenids: ReadonlySet<string>;
}

let cached: Settings | null = null;

export function settings(): Settings {
  if (cached) return cached;
  const idSecret = process.env.WCP_ID_SECRET ?? '';
  // Fail closed: without a secret, user ids would be guessable from OPENIDs.
  if (idSecret.length < 16) throw new Error('WCP_ID_SECRET is not configured (16+ characters)');
  const adminOpenids = new Set(
    (process.env.WCP_ADMIN_OPENIDS ?? '')
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean),
  );
  cached = { idSecret, adminOpenids };
  return cached;
}
