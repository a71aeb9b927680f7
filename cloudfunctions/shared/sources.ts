/**
 * getWXContext().SOURCE values (WeChat cloud docs, "Cloud.getWXContext"): the platform sets them,
 * a client cannot. The chain is comma-separated: "wx_client,scf" = the app called a function that
 * called this one.
 */
export const SOURCE = {
  client: 'wx_client',
  timer: 'wx_trigger',
} as const;

/** Every documented source that means "someone called this function", as opposed to a platform push. */
const CALLERS = new Set(['wx_devtools', 'wx_client', 'wx_http', 'wx_trigger', 'wx_paycallback', 'wx_crawler', 'wx_localdebug', 'wx_unknown', 'scf']);

export function originOf(source: string | null): string | null {
  return source ? (source.split(',')[0] ?? null) : null;
}

export function isTimer(source: string | null): boolean {
  return source === SOURCE.timer;
}

/**
 * The platform's message push (消息推送). Its SOURCE value is not documented, so the rule is the
 * other way round: refuse every source that a caller (app, DevTools, HTTP API, timer, another
 * function) would have. A client cannot choose its SOURCE, so it cannot pose as the push.
 */
export function isMessagePush(source: string | null): boolean {
  if (!source) return false;
  return !source.split(',').some((hop) => CALLERS.has(hop));
}
