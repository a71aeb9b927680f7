/**
 * getWXContext().SOURCE values (WeChat cloud docs, "Cloud.getWXContext"): the platform sets them,
 * a client cannot. cron answers only the timer; events only the platform's message push.
 */
export const SOURCE = {
  client: 'wx_client',
  devtools: 'wx_devtools',
  timer: 'wx_trigger',
  /** Message push (消息推送) delivered to a cloud function. */
  messagePush: 'wx_msg_push',
} as const;

/** The first hop of the call chain ("wx_client,scf" = the app called a function that called this one). */
export function originOf(source: string | null): string | null {
  return source ? (source.split(',')[0] ?? null) : null;
}
