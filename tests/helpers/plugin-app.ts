/**
 * What the plugin test folders' apps share: the runtime and its database beside the TestApp,
 * and the hook events the test listens to, recorded in the order they fired.
 */
import type { Knex } from 'knex';
import type { HookEvents, Runtime } from '../../core';
import type { TestApp } from './app';

export interface RecordedEvent {
  name: string;
  payload: Record<string, unknown>;
}

export interface PluginTestApp extends TestApp {
  rt: Runtime;
  db: Knex;
  /** The events named when the app was built, in the order they fired. */
  events: RecordedEvent[];
}

/** Starts recording the hook events `names` of `rt`; the returned list fills as they fire. */
export function recordEvents(rt: Runtime, names: readonly (keyof HookEvents)[]): RecordedEvent[] {
  const events: RecordedEvent[] = [];
  for (const name of names) rt.hooks.on(name, (payload) => void events.push({ name, payload: payload as unknown as Record<string, unknown> }));
  return events;
}
