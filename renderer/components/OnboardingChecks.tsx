import { useEffect, useState } from 'react';
import { useApp } from '../store/app-store';

type Finding = { check: string; level: string; title: string; detail?: string; fix?: string };

/** At start: what on this PC will get in the way (groups, udev, ModemManager, lockdown, CAP_SYS_RAWIO), each with its fix. */
export function OnboardingChecks() {
  const client = useApp((s) => s.client);
  const [findings, setFindings] = useState<Finding[]>([]);
  const [hidden, setHidden] = useState(false);
  useEffect(() => {
    client?.request('host.doctor', {}).then(
      (f) => setFindings(f.filter((x) => x.level === 'warn' || x.level === 'block')),
      () => setFindings([]),
    );
  }, [client]);
  if (hidden || findings.length === 0) return null;
  return (
    <section className="onboarding" aria-label="Setup checks" data-testid="onboarding">
      <div className="row">
        <strong>This PC needs attention before some devices can be used</strong>
        <button onClick={() => setHidden(true)} aria-label="Hide setup checks">
          Hide
        </button>
      </div>
      <ul>
        {findings.map((f) => (
          <li key={f.check + f.title} className={f.level}>
            <strong>{f.title}</strong>
            {f.detail && <span className="muted"> — {f.detail}</span>}
            {f.fix && (
              <div>
                Fix: <code>{f.fix}</code>
              </div>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
