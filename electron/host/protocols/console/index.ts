export { ConsoleRunner } from './console-runner';
export type { ConsoleRunnerOptions, RunOptions, RunResult, AutobootOptions, AutobootResult } from './console-runner';
export { ConsoleTranscript } from './console-transcript';
export type { TranscriptLine } from './console-transcript';
export { promptPattern, normalizeNewlines, escapeRegExp } from './console-text';
