// The serial.* commands over a model port that records what it is asked to do.
import { serialControlCommands, withSerialControls, type SerialControlPort } from '../../../electron/host/serial';
import type { DeviceAdapter } from '../../../electron/host/adapters/device-adapter';
import { HostError } from '../../../electron/host/errors/host-error';

function modelPort(opts: { modemLines?: boolean } = {}) {
  const calls: string[] = [];
  let line = { baudRate: 115200, dataBits: 8 as const, parity: 'none' as const, stopBits: 1 as const, flowControl: 'none' as const };
  let lines = { dtr: true, rts: true };
  const port = {
    path: `/dev/ttyMODEL${Math.random()}`,
    get line() {
      return { ...line };
    },
    get modemLines() {
      return { ...lines };
    },
    async setSignals(s: { dtr?: boolean; rts?: boolean; brk?: boolean }) {
      if (opts.modemLines === false) throw new HostError('not-supported', 'no modem lines');
      calls.push(`dtr=${+!!s.dtr} rts=${+!!s.rts} brk=${+!!s.brk}`);
      lines = { dtr: s.dtr ?? lines.dtr, rts: s.rts ?? lines.rts };
    },
    async reconfigure(next: typeof line) {
      const reopened = next.parity !== line.parity || next.dataBits !== line.dataBits || next.stopBits !== line.stopBits || next.flowControl !== line.flowControl;
      calls.push(`reconfigure ${next.baudRate} reopen=${reopened}`);
      line = { ...next };
      return { reopened };
    },
  };
  return { port: port as unknown as SerialControlPort, calls };
}
const ctx = { sessionId: 's', signal: new AbortController().signal };
const cmd = (port: SerialControlPort, id: string) => serialControlCommands(port).find((c) => c.decl.id === id)!;

describe('serial.* commands', () => {
  it('serial.settings reads, changes in place (reads-device) or reopens (resets-device)', async () => {
    const { port, calls } = modelPort();
    const s = cmd(port, 'serial.settings');
    expect(await s.run({}, ctx)).toMatchObject({ text: '115200 8N1', changed: false });
    expect(s.effectsFor!({ line: { baudRate: 9600 } })).toEqual(['reads-device']);
    expect(s.effectsFor!({ line: { parity: 'odd' } })).toEqual(['resets-device']);
    expect(s.effectsFor!({})).toEqual(['reads-device']);
    expect(await s.run({ line: { baudRate: 9600 } }, ctx)).toMatchObject({ text: '9600 8N1', reopened: false });
    expect(await s.run({ line: { dataBits: 7, parity: 'odd' } }, ctx)).toMatchObject({ text: '9600 7O1', reopened: true });
    expect(calls).toEqual(['reconfigure 9600 reopen=false', 'reconfigure 9600 reopen=true']);
  });

  it('serial.sequence drives the lines of the named sequence', async () => {
    const { port, calls } = modelPort();
    const r = (await cmd(port, 'serial.sequence').run({ name: 'plain-reset-rts' }, ctx)) as { applied: unknown[]; wiring: string };
    expect(calls).toEqual(['dtr=1 rts=1 brk=0', 'dtr=1 rts=0 brk=0']);
    expect(r.applied).toHaveLength(2);
    expect(r.wiring).toMatch(/RTS drives the reset pin/);
  });

  it('serial.break and serial.sequence pass a port without modem lines on as not-supported', async () => {
    const { port } = modelPort({ modemLines: false });
    await expect(cmd(port, 'serial.break').run({ ms: 5 }, ctx)).rejects.toMatchObject({ code: 'not-supported' });
    await expect(cmd(port, 'serial.sequence').run({ name: 'esp32-bootloader' }, ctx)).rejects.toMatchObject({ code: 'not-supported' });
  });

  it('withSerialControls adds the commands without hiding the adapter\'s own', () => {
    const { port } = modelPort();
    const own = serialControlCommands(port)[0];
    const adapter: DeviceAdapter = { protocol: 'x', identity: () => ({}), close: async () => {}, commands: () => [own] };
    const ids = withSerialControls(adapter, port).commands().map((c) => c.decl.id);
    expect(ids).toEqual(['serial.settings', 'serial.sequence', 'serial.break']);
    expect(withSerialControls(adapter, port).commands()[0]).toBe(own);
  });
});
