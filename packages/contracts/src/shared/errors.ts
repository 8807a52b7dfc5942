/**
 * Every error the API returns has a stable code, an HTTP status and a message in each language.
 * Clients switch on `code`; people read `detail`.
 */
export const ERRORS = {
  VALIDATION_FAILED: { status: 400, zh: '提交的内容有误，请检查标出的字段。', en: 'Some fields are invalid.' },
  UNAUTHENTICATED: { status: 401, zh: '请先登录。', en: 'Please sign in.' },
  INVALID_CREDENTIALS: { status: 401, zh: '手机号或密码不正确。', en: 'Wrong phone number or password.' },
  TOKEN_EXPIRED: { status: 401, zh: '登录已过期，请重新登录。', en: 'Your session has expired. Please sign in again.' },
  REFRESH_TOKEN_INVALID: { status: 401, zh: '登录状态已失效，请重新登录。', en: 'Your sign-in is no longer valid. Please sign in again.' },
  REFRESH_TOKEN_REUSED: {
    status: 401,
    zh: '检测到登录凭证被重复使用，已退出所有相关设备，请重新登录。',
    en: 'A sign-in token was used twice; every device using it was signed out. Please sign in again.',
  },
  ACCOUNT_DISABLED: { status: 403, zh: '账号已停用，请联系管理员。', en: 'This account is disabled. Contact an administrator.' },
  FORBIDDEN: { status: 403, zh: '您没有权限执行此操作。', en: 'You are not allowed to do this.' },
  NOT_FOUND: { status: 404, zh: '未找到相关内容。', en: 'Not found.' },
  ROUTE_NOT_FOUND: { status: 404, zh: '接口不存在。', en: 'No such endpoint.' },
  METHOD_NOT_ALLOWED: { status: 405, zh: '此接口不接受 {method} 请求，可用：{allow}。', en: 'This endpoint does not take {method}; it takes {allow}.' },
  PHONE_TAKEN: { status: 409, zh: '该手机号已注册，请直接登录。', en: 'This phone number is already registered. Please sign in.' },
  ROLE_ALREADY_GRANTED: { status: 409, zh: '该用户已拥有此角色。', en: 'The user already holds this role.' },
  ORGANISATION_NAME_TAKEN: { status: 409, zh: '同一城市已有同名机构。', en: 'An organisation with this name already exists in the city.' },
  ROLE_NOT_FOR_ORGANISATION: {
    status: 422,
    zh: '该角色不能授予此类机构。',
    en: 'This role cannot be held in that kind of organisation.',
  },
  CANNOT_REVOKE_OWN_ADMIN: {
    status: 422,
    zh: '不能撤销自己的管理员角色，请由其他管理员操作。',
    en: 'You cannot revoke your own admin role; ask another admin.',
  },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, zh: '不支持的内容类型。', en: 'Unsupported content type.' },
  INVALID_HOURS: { status: 400, zh: '开放时间有误：{reason}', en: 'Invalid opening hours: {reason}' },
  UNSUPPORTED_IMAGE: { status: 400, zh: '只支持 JPEG、PNG 或 WebP 图片。', en: 'Only JPEG, PNG or WebP images are accepted.' },
  TOO_MANY_PHOTOS: { status: 422, zh: '每个场馆最多 {max} 张照片。', en: 'A venue can have at most {max} photos.' },
  IMAGE_TOO_LARGE: {
    status: 413,
    zh: '图片像素过多（最多 {megapixels} 百万像素），请缩小后再上传。',
    en: 'The image has too many pixels (at most {megapixels} megapixels). Please scale it down.',
  },
  WEAK_PASSWORD: { status: 422, zh: '密码太容易被猜到，请换一个。', en: 'This password is too easy to guess; please choose another.' },
  BLOCK_STARTS_IN_PAST: { status: 422, zh: '锁定不能从过去的时间开始。', en: 'A block cannot start in the past.' },
  BLOCK_TOO_LONG: { status: 422, zh: '一次锁定最长 {maxDays} 天。', en: 'A block can last at most {maxDays} days.' },
  RESOURCE_NAME_TAKEN: { status: 409, zh: '该场馆已有同名场地。', en: 'This venue already has a resource with that name.' },
  EXCEPTION_EXISTS: { status: 409, zh: '这一天已有特殊安排，请先删除原安排。', en: 'That date already has an exception; delete it first.' },
  SLOT_TAKEN: { status: 409, zh: '该时段已被预约，请选择其他时段。', en: 'That time has just been booked. Please choose another.' },
  BOOKING_WINDOW_CLOSED: {
    status: 422,
    zh: '该时段尚未放号或已开始，不能预约。',
    en: 'That time is not open for booking yet, or has already begun.',
  },
  OUTSIDE_OPENING_HOURS: { status: 422, zh: '所选时段不在开放时间内。', en: 'That time is outside the opening hours.' },
  INVALID_DURATION: {
    status: 422,
    zh: '预约时长须为 {slotMinutes} 分钟的整数倍，{minSlots} 至 {maxSlots} 个时段。',
    en: 'Book whole {slotMinutes}-minute slots, {minSlots} to {maxSlots} of them.',
  },
  QUOTA_EXCEEDED: { status: 422, zh: '超出预约限额：{rule}', en: 'Booking limit reached: {rule}' },
  SUSPENDED: {
    status: 422,
    zh: '因多次预约未到场，您在 {until} 前不能预约。',
    en: 'Because of repeated no-shows you cannot book until {until}.',
  },
  RESOURCE_OUT_OF_SERVICE: { status: 422, zh: '该场地正在维修，暂停预约。', en: 'This court is out of service and cannot be booked.' },
  IDEMPOTENCY_KEY_REUSED: {
    status: 422,
    zh: '同一请求标识被用于不同的预约内容。',
    en: 'This Idempotency-Key was already used for a different request.',
  },
  CANCELLATION_DEADLINE_PASSED: {
    status: 422,
    zh: '已过免费取消时间（开始前 {hours} 小时）。',
    en: 'The free cancellation deadline ({hours} hours before the start) has passed.',
  },
  NOT_CANCELLABLE: { status: 409, zh: '该预约当前状态不能取消。', en: 'This booking can no longer be cancelled.' },
  CHECK_IN_WINDOW: {
    status: 422,
    zh: '只能在开始前 30 分钟至开始后 15 分钟内签到。',
    en: 'Check-in is open from 30 minutes before to 15 minutes after the start.',
  },
  ALREADY_CHECKED_IN: { status: 409, zh: '该预约已签到。', en: 'Already checked in.' },
  SESSION_FULL: { status: 409, zh: '该场次名额已满，请选择其他场次。', en: 'This session is full. Please choose another.' },
  SESSION_CLOSED: { status: 409, zh: '该场次已关闭或已开始，不能报名。', en: 'This session is closed or has begun.' },
  ALREADY_REGISTERED: { status: 409, zh: '您已报名该场次。', en: 'You are already registered for this session.' },
  REAL_NAME_REQUIRED: {
    status: 422,
    zh: '进入校园场地须先完成实名登记。',
    en: 'Verify your real name before registering at a school.',
  },
  PLEDGE_REQUIRED: {
    status: 422,
    zh: '请先阅读并同意该校的安全承诺书（第 {version} 版）。',
    en: 'Please read and accept this school’s safety pledge (version {version}) first.',
  },
  PLEDGE_VERSION_CHANGED: {
    status: 409,
    zh: '安全承诺书已更新为第 {version} 版，请重新阅读。',
    en: 'The safety pledge has been updated to version {version}; please read it again.',
  },
  NOT_ELIGIBLE: { status: 422, zh: '不符合报名条件：{reason}', en: 'Not eligible: {reason}' },
  IDENTITY_TAKEN: {
    status: 409,
    zh: '该身份证号已被另一个账号实名登记。如有疑问请联系体育局。',
    en: 'This ID number is already registered to another account. Contact the sports bureau if this is wrong.',
  },
  ENTRY_WINDOW: {
    status: 422,
    zh: '入校码仅在场次开始前 30 分钟至结束前有效。',
    en: 'The entry code is valid from 30 minutes before the session until it ends.',
  },
  REGISTRATION_INACTIVE: { status: 409, zh: '该报名已取消或已失效。', en: 'This registration was cancelled or has lapsed.' },
  NOT_CHECKED_IN: { status: 409, zh: '尚未入场签到，不能签退。', en: 'Not checked in yet, so cannot check out.' },
  ALREADY_CHECKED_OUT: { status: 409, zh: '已签退离场。', en: 'Already checked out.' },
  ASSET_NOT_FOUND: {
    status: 404,
    zh: '未找到该设施，请确认二维码或编号是否完整。',
    en: 'No equipment has this code. Check that the QR code or the code you typed is complete.',
  },
  ASSET_TICKET_OPEN: {
    status: 409,
    zh: '该设施已有正在处理的报修，可以点“我也遇到”或关注进度。',
    en: 'This equipment already has an open repair ticket; add a +1 or follow it instead.',
  },
  ILLEGAL_TRANSITION: { status: 409, zh: '报修单当前状态不能进行此操作。', en: 'The ticket’s current state does not allow this.' },
  TICKET_NOT_OPEN: { status: 409, zh: '该报修已处理完毕或已关闭。', en: 'This ticket is no longer open.' },
  OWN_TICKET_ME_TOO: { status: 409, zh: '这是您自己提交的报修，无需再点“我也遇到”。', en: 'You reported this yourself, so there is no “me too” to add.' },
  ALREADY_RATED: { status: 409, zh: '您已评价过这次维修。', en: 'You have already rated this repair.' },
  TOO_MANY_TICKET_PHOTOS: { status: 422, zh: '每次报修最多 {max} 张照片。', en: 'A report can have at most {max} photos.' },
  NO_TICKET_OWNER: {
    status: 422,
    zh: '该位置没有负责维修的单位，请从场馆页面报修。',
    en: 'No organisation looks after this place; report it from a venue page.',
  },
  TRANSFER_TARGET_NOT_OFFERED: {
    status: 422,
    zh: '只能转交给为该报修单列出的可转办单位。',
    en: 'A ticket can be transferred only to one of the organisations offered for it.',
  },
  REPORTS_THROTTLED: {
    status: 429,
    zh: '报修过于频繁，请 {minutes} 分钟后再试，或登录后报修。',
    en: 'Too many reports. Try again in {minutes} minutes, or sign in to report.',
  },
  PLAN_NOT_EDITABLE: { status: 409, zh: '已发布的开放计划不能修改，可撤回后重新发布。', en: 'A published plan cannot be edited; withdraw it and publish a new one.' },
  REASON_REQUIRED: { status: 400, zh: '请填写原因。', en: 'A reason is required.' },
  REGION_NOT_IN_CITY: { status: 422, zh: '所选区县不属于该城市。', en: 'The district is not in that city.' },
  USER_NOT_FOUND: { status: 422, zh: '未找到该手机号对应的用户，请先让对方注册。', en: 'No user has this phone number; ask them to register first.' },
  PAYLOAD_TOO_LARGE: { status: 413, zh: '提交的内容过大。', en: 'The request is too large.' },
  HEADERS_TOO_LARGE: { status: 431, zh: '请求的网址或请求头过长。', en: 'The request’s address or headers are too long.' },
  REQUEST_TIMEOUT: { status: 408, zh: '请求发送超时。', en: 'The request took too long to arrive.' },
  LOGIN_THROTTLED: {
    status: 429,
    zh: '登录失败次数过多，请 {minutes} 分钟后再试。',
    en: 'Too many failed sign-ins. Try again in {minutes} minutes.',
  },
  RATE_LIMITED: { status: 429, zh: '请求过于频繁，请稍后再试。', en: 'Too many requests. Please try again shortly.' },
  INTERNAL: { status: 500, zh: '服务器出错了，请稍后再试。', en: 'Something went wrong on our side. Please try again later.' },
  UNAVAILABLE: { status: 503, zh: '服务暂时不可用。', en: 'The service is temporarily unavailable.' },
} as const satisfies Record<string, { status: number; zh: string; en: string }>;

export type ErrorCode = keyof typeof ERRORS;
export type Locale = 'zh-CN' | 'en';

type Texts = { zh: string; en: string };

/**
 * Parameters whose value is a code, never words: the words for each code in each language, filled in
 * where the message is read (they may hold placeholders of their own, filled from the same params).
 * A service says `{ rule: 'max_upcoming', max: 3 }`; a reader in zh-CN reads Chinese only.
 */
export const ERROR_PARAM_TEXTS = {
  QUOTA_EXCEEDED: {
    rule: {
      max_upcoming: { zh: '最多同时持有 {max} 个未开始的预约', en: 'at most {max} upcoming bookings' },
      max_sport_hours_per_day: { zh: '同一运动每天最多 {max} 小时', en: 'at most {max} hours a day per sport' },
      school_per_school_per_day: { zh: '同一学校每天最多 {max} 场', en: 'at most {max} session a day at one school' },
      school_per_week: { zh: '每周最多 {max} 场校园开放', en: 'at most {max} school sessions a week' },
    },
  },
  NOT_ELIGIBLE: {
    reason: {
      no_region: { zh: '请在实名信息中填写居住区县', en: 'add your home district to your identity' },
      other_city: { zh: '仅限本市居民', en: 'residents of this city only' },
      other_district: { zh: '仅限本区县居民', en: 'residents of this district only' },
      minor_alone: { zh: '未满 14 周岁须由已登记的监护人陪同报名', en: 'under 14s come with a registered guardian' },
      minors_not_allowed: { zh: '该场次不接待未成年人', en: 'this session does not admit children' },
      too_many_minors: { zh: '每位监护人最多带 3 名儿童', en: 'at most 3 children per guardian' },
      minor_too_old: { zh: '年满 14 周岁须本人实名报名', en: 'anyone 14 or over registers in their own name' },
    },
  },
} as const satisfies Partial<Record<ErrorCode, Record<string, Record<string, Texts>>>>;

/** A moment given as a parameter: written in the reader's language, in the place's time zone. */
export interface InstantParam {
  instant: string;
  timeZone: string;
}

function isInstant(value: unknown): value is InstantParam {
  return typeof value === 'object' && value !== null && typeof (value as InstantParam).instant === 'string' && typeof (value as InstantParam).timeZone === 'string';
}

function fill(template: string, params: Record<string, unknown>, locale: Locale): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    if (isInstant(value)) {
      return new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'zh-CN', { timeZone: value.timeZone, dateStyle: 'medium', timeStyle: 'short' }).format(new Date(value.instant));
    }
    return typeof value === 'string' || typeof value === 'number' ? String(value) : whole;
  });
}

/** The message for a code in a locale, with `{name}` placeholders filled from `params`. */
export function errorMessage(code: ErrorCode, locale: Locale, params: Record<string, unknown> = {}): string {
  const template = locale === 'en' ? ERRORS[code].en : ERRORS[code].zh;
  const coded = (ERROR_PARAM_TEXTS as Partial<Record<ErrorCode, Record<string, Record<string, Texts>>>>)[code];
  if (!coded) return fill(template, params, locale);
  const words: Record<string, unknown> = { ...params };
  for (const [name, texts] of Object.entries(coded)) {
    const text = texts[String(params[name])];
    if (text) words[name] = fill(locale === 'en' ? text.en : text.zh, params, locale);
  }
  return fill(template, words, locale);
}
