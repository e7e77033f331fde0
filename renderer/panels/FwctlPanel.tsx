import { useCallback, useEffect, useState } from 'react';
import type { SessionInfo } from '../../electron/contract/devices';
import { SCOPES, SCOPE_INFO, type Scope } from '../../electron/contract/scopes';
import { useApp } from '../store/app-store';

interface FeatureRow {
  uuid: string;
  title: string;
  setSize: number;
  getSize: number;
  effectNames: string[];
  setScope: Scope | null;
  setScopeReason: string;
  current: { raw: string; decoded: unknown } | { error: string };
}

function hexToBytes(text: string): Uint8Array | null {
  const clean = text.replace(/0x/gi, '').replace(/[\s,:]/g, '');
  if (clean.length % 2 !== 0 || /[^0-9a-f]/i.test(clean)) return null;
  return Uint8Array.from(clean.match(/../g) ?? [], (b) => parseInt(b, 16));
}

function pretty(v: unknown): string {
  return JSON.stringify(v, (_k, x) => (x && typeof x === 'object' && 'raw' in x && x.raw instanceof Uint8Array ? { ...x, raw: [...x.raw].map((b: number) => b.toString(16).padStart(2, '0')).join('') } : x), 1);
}

/** An fwctl device: identity, kernel state, the CXL feature table, and an RPC composer that shows bytes and scope before sending. */
export function FwctlPanel({ session }: { session: SessionInfo }) {
  const runCommand = useApp((s) => s.runCommand);
  const facts = useApp((s) => s.facts);
  const askElevation = useApp((s) => s.askElevation);
  const [info, setInfo] = useState<{ deviceType: number; driver: string; deviceData: string; decoded: unknown; simulated: boolean } | null>(null);
  const [features, setFeatures] = useState<FeatureRow[] | null>(null);
  const [edit, setEdit] = useState<Record<string, string>>({});
  const [opcode, setOpcode] = useState('0501');
  const [payload, setPayload] = useState('');
  const [composed, setComposed] = useState<{ requestHex: string; fields: Record<string, unknown>; scope: Scope | null; why: string } | null>(null);
  const [rpcScope, setRpcScope] = useState<Scope>('debug-read-only');
  const [reply, setReply] = useState<{ hex: string; decoded: unknown } | null>(null);

  const load = useCallback(async () => {
    setInfo(await runCommand(session.id, 'fwctl.info', 'configuration', {}));
    const r = await runCommand<{ features: FeatureRow[] }>(session.id, 'cxl.features.list', 'configuration', {});
    if (r) setFeatures(r.features);
  }, [session.id, runCommand]);
  useEffect(() => void load(), [load]);

  const setFeature = async (f: FeatureRow) => {
    const data = hexToBytes(edit[f.uuid] ?? '');
    if (!data || !f.setScope) return;
    const r = await runCommand(session.id, 'cxl.feature.set', f.setScope, { uuid: f.uuid, data });
    if (r) await load();
  };

  const compose = async () => {
    const bytes = hexToBytes(payload);
    const op = parseInt(opcode, 16);
    if (!bytes || !Number.isFinite(op)) return;
    const r = await runCommand<{ requestHex: string; fields: Record<string, unknown>; scope: Scope | null; why: string }>(session.id, 'cxl.rpc.compose', 'configuration', { opcode: op, payload: bytes });
    if (r) {
      setComposed(r);
      if (r.scope) setRpcScope(r.scope === 'configuration' ? 'debug-read-only' : r.scope);
    }
  };

  const send = async () => {
    if (!composed) return;
    const r = await runCommand<{ reply: Uint8Array; decoded: unknown }>(session.id, 'fwctl.rpc', rpcScope, { rpcScope, request: hexToBytes(composed.requestHex)!, outLen: 4096 });
    if (r) setReply({ hex: [...r.reply].map((b) => b.toString(16).padStart(2, '0')).join(' '), decoded: r.decoded });
  };

  return (
    <div className="fwctl">
      <section aria-label="Device and kernel state">
        <h3>Device</h3>
        {info && (
          <dl className="facts">
            <div>
              <dt>type</dt>
              <dd data-testid="fwctl-type">
                {info.driver} ({info.deviceType})
              </dd>
            </div>
            <div>
              <dt>info data</dt>
              <dd>{info.deviceData || '—'}</dd>
            </div>
            {info.decoded !== null && (
              <div>
                <dt>decoded</dt>
                <dd>{pretty(info.decoded)}</dd>
              </div>
            )}
          </dl>
        )}
        <p className="muted">
          Kernel lockdown: {facts?.lockdown} · CAP_SYS_RAWIO: {facts?.capSysRawio ? 'held' : 'not held (debug-write-full impossible)'} · kernel fwctl taint: {facts?.kernelFwctlTaint ? 'set' : 'clear'}
        </p>
      </section>
      {features && (
        <section aria-label="CXL features">
          <h3>Features</h3>
          <table data-testid="cxl-features">
            <thead>
              <tr>
                <th scope="col">Feature</th>
                <th scope="col">Current value</th>
                <th scope="col">Set needs</th>
                <th scope="col">Change (hex, {`set size`} bytes)</th>
              </tr>
            </thead>
            <tbody>
              {features.map((f) => (
                <tr key={f.uuid}>
                  <th scope="row">
                    {f.title}
                    <br />
                    <code className="muted">{f.uuid}</code>
                  </th>
                  <td>
                    {'error' in f.current ? (
                      <span className="error">{f.current.error}</span>
                    ) : (
                      <>
                        <code data-testid={`feature-raw-${f.uuid}`}>{f.current.raw}</code>
                        <details>
                          <summary>decoded</summary>
                          <pre>{pretty(f.current.decoded)}</pre>
                        </details>
                      </>
                    )}
                  </td>
                  <td title={f.setScopeReason}>
                    {f.setScope ? SCOPE_INFO[f.setScope].title : 'cannot be set'}
                    <div className="muted">{f.setScopeReason}</div>
                  </td>
                  <td>
                    {f.setScope && (
                      <form
                        onSubmit={(e) => {
                          e.preventDefault();
                          void setFeature(f);
                        }}
                      >
                        <input aria-label={`New data for ${f.title}`} placeholder={`${f.setSize} bytes`} value={edit[f.uuid] ?? ''} onChange={(e) => setEdit({ ...edit, [f.uuid]: e.target.value })} />
                        <button type="submit" disabled={hexToBytes(edit[f.uuid] ?? '')?.length !== f.setSize}>
                          Set
                        </button>
                        <button type="button" onClick={() => askElevation(session.id, f.setScope!)}>
                          Grant {SCOPE_INFO[f.setScope].title}…
                        </button>
                      </form>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      {features && (
        <section aria-label="RPC composer">
          <h3>RPC composer</h3>
          <div className="row">
            <label>
              Opcode (hex)
              <input value={opcode} onChange={(e) => setOpcode(e.target.value)} aria-label="Mailbox opcode" />
            </label>
            <label>
              Payload (hex)
              <input value={payload} onChange={(e) => setPayload(e.target.value)} aria-label="Mailbox payload" size={60} />
            </label>
            <button onClick={() => void compose()}>Compose (dry run)</button>
          </div>
          {composed && (
            <div data-testid="rpc-preview">
              <p>
                Request bytes: <code>{composed.requestHex}</code>
              </p>
              <pre>{pretty(composed.fields)}</pre>
              <p>
                Scope the kernel wants: <strong>{composed.scope ? SCOPE_INFO[composed.scope].title : 'none — it will be refused'}</strong>. {composed.why}
              </p>
              <div className="row">
                <label>
                  Send at
                  <select value={rpcScope} onChange={(e) => setRpcScope(e.target.value as Scope)} aria-label="RPC scope">
                    {SCOPES.map((s) => (
                      <option key={s} value={s}>
                        {SCOPE_INFO[s].title}
                      </option>
                    ))}
                  </select>
                </label>
                <button className="primary" onClick={() => void send()}>
                  Send RPC
                </button>
              </div>
            </div>
          )}
          {reply && (
            <div>
              {reply.decoded !== null && <pre data-testid="rpc-reply-decoded">{pretty(reply.decoded)}</pre>}
              <details>
                <summary>Reply bytes</summary>
                <code data-testid="rpc-reply">{reply.hex}</code>
              </details>
            </div>
          )}
        </section>
      )}
    </div>
  );
}
