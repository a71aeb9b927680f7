/**
 * Error codes, defined once, with the Chinese message a worker sees. Handlers may pass a more
 * specific message; the code is what the app branches on.
 */
export const ERRORS = {
  BAD_REQUEST: '请求格式不正确',
  UNKNOWN_ACTION: '不支持的操作',
  INVALID_PAYLOAD: '填写的内容有误',
  UNAUTHENTICATED: '无法识别您的微信身份，请重新进入小程序',
  FORBIDDEN: '您没有权限进行此操作',
  CONSENT_REQUIRED: '请先阅读并同意隐私说明',
  PROFILE_REQUIRED: '请先完善个人资料',
  NOT_FOUND: '内容不存在或已删除',
  NOT_OPEN_YET: '尚未开始',
  CLOSED: '已截止',
  FULL: '名额已满',
  ALREADY_EXISTS: '请勿重复提交',
  CONFLICT: '数据已被他人修改，请刷新后重试',
  INVALID_STATE: '当前状态下不能进行此操作',
  /** Judging: the judge and the entry are in conflict (own unit or enterprise, or declared by staff). */
  CONFLICT_OF_INTEREST: '您与这件作品需要回避，不能评分',
  /** Judging: a final score stands in the way (staff return it first). */
  SCORE_FINAL: '评分已提交，请先退回评分',
  CONTENT_RISKY: '内容未通过安全检测，请修改后再提交',
  FILE_REJECTED: '文件不符合要求',
  RATE_LIMITED: '操作太频繁，请稍后再试',
  NETWORK: '网络不稳定，请检查网络后重试',
  TIMEOUT: '请求超时，请稍后重试',
  INTERNAL: '系统繁忙，请稍后再试',
} as const;

export type ErrorCode = keyof typeof ERRORS;

export function errorMessage(code: ErrorCode): string {
  return ERRORS[code];
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(ERRORS, value);
}
