/** The send form: what the sender typed, trimmed and checked; each problem an i18n key under `alerts.errors`. */
import crypto from 'node:crypto';
import { field, type RucheContext } from '../../core';
import { AUDIENCES, isAnswerSet, MESSAGE_MAX, SEVERITIES, TITLE_MAX, type AudienceKind, type Severity } from './constants';
import type { AlertInput } from './types';

/** The form's values as typed (re-shown on a refusal). */
export interface AlertFormValues {
  title: string;
  message: string;
  severity: string;
  answers: string;
  audience: string;
  group: string;
  field: string;
  value: string;
  form_key: string;
}

export type Problems = Partial<Record<keyof AlertFormValues, string>>;

export const blankForm = (): AlertFormValues => ({
  title: '',
  message: '',
  severity: 'warning',
  answers: 'none',
  audience: 'network',
  group: '',
  field: '',
  value: '',
  form_key: crypto.randomBytes(16).toString('hex'),
});

export function formValues(ctx: RucheContext): AlertFormValues {
  const v = (name: keyof AlertFormValues): string => field(ctx, name);
  return {
    title: v('title').trim(),
    message: v('message').replace(/\r\n?/g, '\n').trim(),
    severity: v('severity'),
    answers: v('answers'),
    audience: v('audience'),
    group: v('group'),
    field: v('field'),
    value: v('value').trim(),
    form_key: /^[a-f0-9]{32}$/.test(v('form_key')) ? v('form_key') : crypto.randomBytes(16).toString('hex'),
  };
}

/** The checked input, or the problems by field. */
export function checkAlert(v: AlertFormValues): { input: AlertInput } | { problems: Problems } {
  const problems: Problems = {};
  if (!v.title) problems.title = 'alerts.errors.titleRequired';
  else if (v.title.length > TITLE_MAX) problems.title = 'alerts.errors.titleTooLong';
  if (!v.message) problems.message = 'alerts.errors.messageRequired';
  else if (v.message.length > MESSAGE_MAX) problems.message = 'alerts.errors.messageTooLong';
  if (!(SEVERITIES as readonly string[]).includes(v.severity)) problems.severity = 'alerts.errors.severity';
  if (!isAnswerSet(v.answers)) problems.answers = 'alerts.errors.answers';
  if (!(AUDIENCES as readonly string[]).includes(v.audience)) problems.audience = 'alerts.errors.audience';
  else if (v.audience === 'group' && !/^\d{1,15}$/.test(v.group)) problems.audience = 'alerts.errors.group';
  else if (v.audience === 'field') {
    if (!v.field) problems.audience = 'alerts.errors.field';
    if (!v.value) problems.value = 'alerts.errors.valueRequired';
    else if (v.value.length > 200) problems.value = 'alerts.errors.valueTooLong';
  }
  if (Object.keys(problems).length) return { problems };
  const audience = v.audience as AudienceKind;
  return {
    input: {
      title: v.title,
      message: v.message,
      severity: v.severity as Severity,
      answers: v.answers as AlertInput['answers'],
      audience,
      ref: audience === 'group' ? v.group : audience === 'field' ? v.field : '',
      value: audience === 'field' ? v.value : '',
      formKey: v.form_key,
    },
  };
}
