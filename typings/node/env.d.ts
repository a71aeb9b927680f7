/** The cloud functions' own environment variables (set in the cloud console, or by the local cloud). */
declare namespace NodeJS {
  interface ProcessEnv {
    /** Secret for opaque user ids and signatures: 16+ characters, never changed once data exists. */
    WCP_ID_SECRET?: string;
    /** Comma-separated OPENIDs of the first admins. */
    WCP_ADMIN_OPENIDS?: string;
    /** Port of the local cloud's HTTP face (default 3720). */
    LOCAL_CLOUD_PORT?: string;
    /** Data folder of the local cloud (default .local-cloud/data). */
    LOCAL_CLOUD_DATA?: string;
  }
}
