/**
 * The profile fields with choices the dashboard splits its members by (the adoption table),
 * asked of the profiles plugin through its hooks (where it is on): for a page, and for the
 * warm-up (warm.ts), which has no request.
 */
import type { Runtime, Viewer } from '../../core';
import type { AudienceField } from '../profiles/hooks';
import type { ReportEnv } from './report';

/** The profile fields with choices (`profiles:audienceFields`) the viewer may see. */
export async function choiceFields(rt: Runtime, networkId: number, viewer: Viewer, locale: string): Promise<AudienceField[]> {
  const fields = await rt.hooks.filter('profiles:audienceFields', [], { networkId, viewer, locale });
  return fields.filter((f) => f.choices?.length);
}

/** The field of `key` (else the first choice field) and who holds its values (a statement), for the adoption table. */
export async function choiceField(
  rt: Runtime,
  networkId: number,
  viewer: Viewer,
  fields: AudienceField[],
  key: string | undefined,
): Promise<ReportEnv['choiceField']> {
  const field = fields.find((f) => f.key === key) ?? fields[0];
  if (!field) return undefined;
  const holders = await rt.hooks.filter('profiles:valueHolders', null, { networkId, viewer, field: field.key, values: field.choices! });
  return { key: field.key, label: field.label, values: field.choices!, holders };
}
