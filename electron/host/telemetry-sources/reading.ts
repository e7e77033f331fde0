// What a polled reader hands back: one number per channel, in its unit.
export interface Reading {
  channel: string;
  unit: string;
  value: number;
}

/**
 * Reads every channel of one source once. A part that fails (one stats group,
 * one sensor) is passed to `problem` and left out; a read where nothing could
 * be read throws.
 */
export interface PollReader {
  read(signal: AbortSignal, problem: (text: string) => void): Promise<Reading[]>;
}
