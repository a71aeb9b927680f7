/**
 * Subscription messages (订阅消息). WeChat shows its opt-in dialog only when
 * `wx.requestSubscribeMessage` is called in the synchronous part of a tap handler: after an
 * `await` it fails with "can only be invoked by user TAP gesture". So a tap handler calls
 * `askForResultNotice()` first, before anything asynchronous, and goes on without waiting for the
 * answer: the worker's choice never holds up what they tapped for. One opt-in allows one message.
 */

/**
 * 报名结果通知 / 审核结果通知. A placeholder: the real template id comes from the WeChat console
 * (公众平台 → 功能 → 订阅消息), where the template is picked from the library; it must match the
 * id the cloud functions send with.
 */
export const RESULT_NOTICE_TEMPLATE = 'TEMPLATE_RESULT_NOTICE';

import { api } from './client';

export type SubscribeChoice = 'accept' | 'reject' | 'ban' | 'filter' | 'unavailable';

/**
 * Asks, inside the current tap, to send the result of what the worker is doing. Never throws and
 * never rejects; the promise says what they chose. An acceptance is recorded on the server's
 * ledger (one opt-in = one message), in the background.
 */
export function askForResultNotice(): Promise<SubscribeChoice> {
  const asked = requestResultNotice();
  void asked.then((choice) => {
    if (choice === 'accept') void api('subscriptions.record', { templateId: RESULT_NOTICE_TEMPLATE, accepted: true });
  });
  return asked;
}

function requestResultNotice(): Promise<SubscribeChoice> {
  return new Promise((resolve) => {
    try {
      wx.requestSubscribeMessage({
        tmplIds: [RESULT_NOTICE_TEMPLATE],
        success: (res) => {
          const choice = res[RESULT_NOTICE_TEMPLATE];
          resolve(choice === 'accept' || choice === 'reject' || choice === 'ban' || choice === 'filter' ? choice : 'unavailable');
        },
        fail: () => resolve('unavailable'),
      });
    } catch {
      // An old base library, or a desktop client without subscription messages.
      resolve('unavailable');
    }
  });
}
