export interface DemoIdentity {
  /** The OPENID the local cloud sets for this caller (X-Local-Openid). Local mode only. */
  openid: string;
  label: string;
  role: 'worker' | 'judge' | 'staff' | 'admin';
}

export interface RuntimeConfig {
  mode: 'local' | 'cloud';
  envId: string;
  localUrl: string;
  identities: DemoIdentity[];
}
