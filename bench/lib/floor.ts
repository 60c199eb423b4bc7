/** Starts the floor server (bench/lib/floor-server.ts) in its own process. */
import path from 'node:path';
import { cleanEnv } from './proc';
import { startChild, type ChildServer } from './server';

export function startFloor(): Promise<ChildServer> {
  return startChild([path.join(__dirname, 'floor-server.js')], __dirname, /floor serving (http:\/\/\S+)/, cleanEnv(), 'the floor server');
}

/** The floor URL answering exactly `bytes` bytes. */
export function floorUrl(floor: ChildServer, bytes: number): string {
  return `${floor.url}/${Math.max(0, Math.round(bytes))}`;
}
