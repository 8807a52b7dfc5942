import type { Locale } from '@sports/contracts';
import { ASSET_CATALOGUE, type AssetType, type TicketMove } from '@sports/domain';

/**
 * The one catalogue of what the platform tells people, per kind, in Chinese and English. A message
 * is stored as its kind and its parameters — ids, codes, ISO instants with the time zone of the
 * place, numbers, names of places, and words people typed (a reason, a note) — never as prose in one
 * language, and is rendered here in the reader's language when it is read (the inbox) or sent (a
 * text message, from the outbox). `Record<NotificationKind, …>` makes a kind without both languages
 * a type error; `test/notification-texts.test.ts` renders every kind in both.
 */
export interface NotificationParamsOf {
  /** A public change of a repair ticket, told to its reporter and followers. */
  ticket: {
    code: string;
    /** The workflow move; absent for a staff note. */
    move?: TicketMove;
    /** What staff wrote with it, when it is public. */
    note?: string;
    /** Closed by the sweep after the quiet days. */
    auto?: boolean;
  };
  /** An open ticket past its promised time, told to the bureau. */
  ticket_escalated: { code: string };
  /** A new report, told to the owner's dispatchers. */
  'ticket.new': { code: string; category: AssetType; fault: string; description?: string };
  /** The Open311 client that filed a ticket added to it. */
  'ticket.update': { code: string; text: string };
  /**
   * A booking cancelled by the venue, never counted against the resident. `cause` says why:
   * `staff` (cancelled one booking with a reason), `block` (the venue blocked the court, `reason`),
   * `repair` (equipment `asset` under repair), `resource_closed` (court `resource` out of use).
   */
  'reservation.cancelled_by_venue': {
    venue: string;
    resource?: string;
    startsAt: string;
    timeZone: string;
    cause: 'staff' | 'block' | 'repair' | 'resource_closed';
    reason?: string;
    asset?: string;
  };
  /** A resident reached the city's no-show limit. */
  'booking.suspended': { until: string; timeZone: string; cityCode: string; windowDays: number; count: number; limit: number };
  /** Two hours before a booking (in the inbox and as a text message). */
  'reservation.reminder': { venue: string; startsAt: string; timeZone: string; code: string };
  /** A school opening session closed; the registration is released without penalty. */
  'school.session_closed': { venue: string; startsAt: string; timeZone: string; reason: string };
}

export type NotificationKind = keyof NotificationParamsOf;

export interface RenderedMessage {
  title: string;
  body: string;
}

type Template<K extends NotificationKind> = (p: NotificationParamsOf[K]) => RenderedMessage;

const formatters = new Map<string, Intl.DateTimeFormat>();

/** An instant as the reader says it, on the clock of the place. */
export function formatInstant(iso: string, timeZone: string, locale: Locale, style: 'datetime' | 'time' | 'date' = 'datetime'): string {
  const key = `${locale}|${timeZone}|${style}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    const options: Intl.DateTimeFormatOptions =
      style === 'time' ? { timeStyle: 'short' } : style === 'date' ? { dateStyle: 'medium' } : { dateStyle: 'medium', timeStyle: 'short' };
    formatter = new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'zh-CN', { ...options, timeZone });
    formatters.set(key, formatter);
  }
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) throw new Error(`not an instant: ${iso}`);
  return formatter.format(at);
}

const MOVE_TITLES: Record<TicketMove, { zh: string; en: string }> = {
  accept: { zh: '报修已受理', en: 'Report accepted' },
  reject: { zh: '报修未受理', en: 'Report not accepted' },
  mark_duplicate: { zh: '报修已合并', en: 'Report merged with another' },
  transfer: { zh: '报修已转交', en: 'Report passed to another organisation' },
  dispatch: { zh: '已派维修人员', en: 'Technician assigned' },
  start: { zh: '开始维修', en: 'Repair started' },
  hold: { zh: '维修暂停', en: 'Repair paused' },
  resume: { zh: '继续维修', en: 'Repair resumed' },
  resolve: { zh: '维修完成', en: 'Repair done' },
  close: { zh: '报修已关闭', en: 'Report closed' },
  reopen: { zh: '报修已重新打开', en: 'Report reopened' },
};

function faultOf(category: AssetType, fault: string): { zh: string; en: string } {
  const choice = ASSET_CATALOGUE[category]?.faults.find((f) => f.key === fault);
  return choice ? { zh: choice.zh, en: choice.en } : { zh: fault, en: fault };
}

const CANCEL_TITLES: Record<NotificationParamsOf['reservation.cancelled_by_venue']['cause'], { zh: string; en: string }> = {
  staff: { zh: '您的预约已被场馆取消', en: 'The venue cancelled your booking' },
  block: { zh: '您的预约因场馆安排被取消', en: 'Your booking was cancelled for a venue arrangement' },
  repair: { zh: '您的预约因设施维修被取消', en: 'Your booking was cancelled for a repair' },
  resource_closed: { zh: '您的预约因场地停用被取消', en: 'Your booking was cancelled: the court is out of use' },
};

export const NOTIFICATION_TEXTS: { [K in NotificationKind]: Record<Locale, Template<K>> } = {
  ticket: {
    'zh-CN': (p) => ({
      title: p.move ? MOVE_TITLES[p.move].zh : '报修进展',
      body: p.note || (p.auto ? `报修单 ${p.code} 已自动关闭` : `报修单 ${p.code}`),
    }),
    en: (p) => ({
      title: p.move ? MOVE_TITLES[p.move].en : 'Repair update',
      body: p.note || (p.auto ? `Report ${p.code} was closed automatically` : `Report ${p.code}`),
    }),
  },
  ticket_escalated: {
    'zh-CN': (p) => ({ title: '报修超时', body: `报修单 ${p.code} 已超过承诺时限` }),
    en: (p) => ({ title: 'Repair overdue', body: `Report ${p.code} is past its promised time` }),
  },
  'ticket.new': {
    'zh-CN': (p) => ({ title: '新报修待受理', body: `报修单 ${p.code}：${faultOf(p.category, p.fault).zh}${p.description ? `，${p.description}` : ''}` }),
    en: (p) => ({ title: 'New report to accept', body: `Report ${p.code}: ${faultOf(p.category, p.fault).en}${p.description ? `, ${p.description}` : ''}` }),
  },
  'ticket.update': {
    'zh-CN': (p) => ({ title: '报修单有新的补充', body: `报修单 ${p.code}（Open311 接入方补充）：${p.text}` }),
    en: (p) => ({ title: 'A report has an addition', body: `Report ${p.code} (added by the Open311 client): ${p.text}` }),
  },
  'reservation.cancelled_by_venue': {
    'zh-CN': (p) => {
      const when = formatInstant(p.startsAt, p.timeZone, 'zh-CN');
      const where = p.resource ? `${p.venue} ${p.resource}` : p.venue;
      if (p.cause === 'staff') return { title: CANCEL_TITLES.staff.zh, body: `${where} ${when} 的预约已被取消，原因：${p.reason ?? ''}。不计违约。` };
      const why = p.cause === 'repair' ? `${p.asset ?? ''}正在维修` : p.cause === 'resource_closed' ? `${p.resource ?? ''}停用` : (p.reason ?? '');
      return { title: CANCEL_TITLES[p.cause].zh, body: `${where} ${when} 的预约已取消：${why}。不计违约。` };
    },
    en: (p) => {
      const when = formatInstant(p.startsAt, p.timeZone, 'en');
      const where = p.resource ? `${p.venue}, ${p.resource}` : p.venue;
      const why =
        p.cause === 'repair'
          ? `${p.asset ?? 'equipment'} is under repair`
          : p.cause === 'resource_closed'
            ? `${p.resource ?? 'the court'} is out of use`
            : (p.reason ?? '');
      return { title: CANCEL_TITLES[p.cause].en, body: `Your booking at ${where} on ${when} was cancelled: ${why}. It does not count against you.` };
    },
  },
  'booking.suspended': {
    'zh-CN': (p) => ({
      title: '预约功能已暂停',
      body: `${p.windowDays} 天内 ${p.count} 次预约未到场（上限 ${p.limit} 次），${formatInstant(p.until, p.timeZone, 'zh-CN')} 前不能预约。`,
    }),
    en: (p) => ({
      title: 'Booking suspended',
      body: `${p.count} missed bookings in ${p.windowDays} days (the limit is ${p.limit}): you cannot book until ${formatInstant(p.until, p.timeZone, 'en')}.`,
    }),
  },
  'reservation.reminder': {
    'zh-CN': (p) => ({
      title: '预约即将开始',
      body: `【体育场馆预约】您预约的${p.venue}将于今天 ${formatInstant(p.startsAt, p.timeZone, 'zh-CN', 'time')} 开始，请凭预约码 ${p.code} 入场。`,
    }),
    en: (p) => ({
      title: 'Your booking starts soon',
      body: `[Sports venue booking] Your booking at ${p.venue} starts today at ${formatInstant(p.startsAt, p.timeZone, 'en', 'time')}. Show booking code ${p.code} to enter.`,
    }),
  },
  'school.session_closed': {
    'zh-CN': (p) => ({
      title: '校园场地开放场次已关闭',
      body: `${p.venue} ${formatInstant(p.startsAt, p.timeZone, 'zh-CN')} 的开放场次因“${p.reason}”关闭，您的报名已取消，不计违约。`,
    }),
    en: (p) => ({
      title: 'School opening session closed',
      body: `The opening session at ${p.venue} on ${formatInstant(p.startsAt, p.timeZone, 'en')} was closed (“${p.reason}”): your registration is cancelled, without penalty.`,
    }),
  },
};

export function isNotificationKind(kind: string): kind is NotificationKind {
  return Object.hasOwn(NOTIFICATION_TEXTS, kind);
}

/**
 * A stored message in the reader's language; undefined for a kind the catalogue does not know or
 * parameters it cannot render (a row written before the catalogue, or by a newer version).
 */
export function renderNotification(kind: string, params: unknown, locale: Locale): RenderedMessage | undefined {
  if (!isNotificationKind(kind) || typeof params !== 'object' || params === null) return undefined;
  try {
    return (NOTIFICATION_TEXTS[kind][locale] as (p: unknown) => RenderedMessage)(params);
  } catch {
    return undefined;
  }
}
