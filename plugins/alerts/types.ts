/** Types of the alerts plugin's rows and views. */
import type { AnswerSet, AudienceKind, Severity } from './constants';

export interface AlertRow {
  id: number;
  network_id: number;
  sender_id: number;
  title: string;
  message: string;
  severity: Severity;
  answers: AnswerSet;
  audience: AudienceKind;
  audience_ref: string;
  audience_value: string;
  recipients: number;
  created_at: number;
  closed_at: number | null;
  closed_by: number | null;
}

export interface UpdateRow {
  id: number;
  alert_id: number;
  author_id: number;
  message: string;
  created_at: number;
}

/** What the sender typed, checked (validate.ts). */
export interface AlertInput {
  title: string;
  message: string;
  severity: Severity;
  answers: AnswerSet;
  audience: AudienceKind;
  /** The group's id or the profile field's key. */
  ref: string;
  /** The profile field's value. */
  value: string;
  formKey: string;
}

/** The live figures of the sender's dashboard. */
export interface AlertCounts {
  recipients: number;
  mailSent: number;
  mailFailed: number;
  mailPending: number;
  seen: number;
  acknowledged: number;
  answered: number;
  answers: Record<string, number>;
}

/** A recipient as the dashboard and the export show them. */
export interface RecipientLine {
  userId: number;
  username: string;
  displayName: string;
  email: string;
  mailState: string;
  mailError: string | null;
  seenAt: number | null;
  ackedAt: number | null;
  answer: string | null;
  answeredAt: number | null;
}
