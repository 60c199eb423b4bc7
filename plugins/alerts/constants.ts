/** Ids shared by the alerts plugin's files. */
export const SEND = 'alerts.send';
/** Receiving and answering an alert: any participating member. */
export const PARTICIPATE = 'core.participate';

export const SEVERITIES = ['information', 'warning', 'emergency'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** The answer sets a sender may ask for, and the buttons each offers (`none`: only "Acknowledge"). */
export const ANSWER_SETS = { none: [], safety: ['safe', 'help'], seen: ['seen'] } as const satisfies Record<string, readonly string[]>;
export type AnswerSet = keyof typeof ANSWER_SETS;
export const isAnswerSet = (v: string): v is AnswerSet => Object.hasOwn(ANSWER_SETS, v);

export const AUDIENCES = ['network', 'group', 'field'] as const;
export type AudienceKind = (typeof AUDIENCES)[number];

/** The pub/sub channel: payload `<alertId>` when an alert is sent, updated, closed or answered. */
export const CHANNEL = 'alerts_changed';
export const MAIL_JOB = 'alerts.mail';
export const BELL_JOB = 'alerts.bell';
/** Recipients per mail job and per bell job: a failed send retries only its own batch. */
export const MAIL_BATCH = 50;
export const BELL_BATCH = 500;

export const TITLE_MAX = 120;
export const MESSAGE_MAX = 4000;
