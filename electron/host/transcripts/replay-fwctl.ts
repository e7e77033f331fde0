// A fwctl transcript played back as a device: each INFO and RPC must be the
// next one recorded (same scope, request bytes and out_len); the reply or
// error recorded is returned. Anything else is an error naming the step.
import type { FwctlTransport } from '../fwctl/transport';
import type { Scope } from '../../contract/scopes';
import { HostError } from '../errors/host-error';
import { fromB64, stepLine, toB64, type Transcript, type TranscriptStep } from './transcript-format';

type FwctlStep = Extract<TranscriptStep, { type: 'fwctl-info' | 'fwctl-rpc' }>;

export function replayFwctl(transcript: Transcript, name = 'the transcript'): FwctlTransport {
  if (transcript.header.kind !== 'fwctl') throw new HostError('invalid-params', `${name} records a ${transcript.header.kind} link, not a fwctl device.`);
  const steps: { step: FwctlStep; index: number }[] = [];
  transcript.steps.forEach((step, index) => {
    if (step.type === 'fwctl-info' || step.type === 'fwctl-rpc') steps.push({ step, index });
  });
  let cursor = 0;
  let open = true;
  const next = (what: string) => {
    if (!open) throw new HostError('device-gone', 'The replayed fwctl handle is closed.');
    const s = steps[cursor];
    if (!s) throw new HostError('protocol-error', `Replay mismatch at the end of ${name}: the host asked for ${what}, but the recording has nothing more.`);
    return s;
  };
  return {
    simulated: true,
    async info() {
      const s = next('FWCTL_INFO');
      if (s.step.type !== 'fwctl-info') throw new HostError('protocol-error', `Replay mismatch at step ${stepLine(s.index)} of ${name}: the host asked for FWCTL_INFO where the recording has an RPC.`);
      cursor++;
      return { deviceType: s.step.deviceType, deviceData: fromB64(s.step.deviceData) };
    },
    async rpc(scope: Scope, request: Uint8Array, outLen: number) {
      const s = next('an RPC');
      const st = s.step;
      const at = `Replay mismatch at step ${stepLine(s.index)} of ${name}`;
      if (st.type !== 'fwctl-rpc') throw new HostError('protocol-error', `${at}: the host sent an RPC where the recording has FWCTL_INFO.`);
      const req = toB64(request);
      if (st.scope !== scope || st.request !== req || st.outLen !== outLen)
        throw new HostError(
          'protocol-error',
          `${at}: the host sent a different RPC than recorded.`,
          `recorded scope=${st.scope} outLen=${st.outLen} request=${Buffer.from(st.request, 'base64').toString('hex').slice(0, 64)}; sent scope=${scope} outLen=${outLen} request=${Buffer.from(request).toString('hex').slice(0, 64)}`,
        );
      cursor++;
      if (st.error) throw new HostError(st.error.code, st.error.message, st.error.detail);
      return fromB64(st.reply ?? '');
    },
    async close() {
      open = false;
    },
  };
}
