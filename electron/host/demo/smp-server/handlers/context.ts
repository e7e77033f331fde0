import type { SmpBoardState } from '../board-state';

export interface SmpServerRequest {
  /** 0 = read, 2 = write. */
  op: number;
  id: number;
  body: Record<string, unknown>;
  state: SmpBoardState;
  /** Asks the server to reset the board once the answer is on the wire. */
  scheduleReset(): void;
  /** Simulated flash erase/write time. */
  delay(ms: number): Promise<void>;
  eraseDelayMs: number;
}

/** Answers one group's commands, or returns undefined for commands it does not have. */
export type SmpGroupHandler = (req: SmpServerRequest) => Promise<Record<string, unknown> | undefined> | Record<string, unknown> | undefined;

export const READ = 0;
export const WRITE = 2;
