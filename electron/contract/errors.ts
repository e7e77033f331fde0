// Stable error codes shared by host, renderer and CLI. Codes never change
// meaning; messages are plain words for the operator, detail is for engineers.
export const ERROR_CODES = [
  'bad-request',
  'unknown-channel',
  'unknown-command',
  'invalid-params',
  'unknown-device',
  'unknown-session',
  'unknown-job',
  'device-busy',
  'device-gone',
  'device-error',
  'grant-required',
  'scope-too-low',
  'scope-denied-by-policy',
  'confirmation-required',
  'capability-missing',
  'not-supported',
  'permission-denied',
  'timeout',
  'cancelled',
  'protocol-error',
  'verification-failed',
  'preflight-blocked',
  'io-error',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface WireError {
  code: ErrorCode;
  message: string;
  detail?: string;
}
