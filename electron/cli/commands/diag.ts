import { resolve } from 'node:path';
import { Host } from '../../host/host';
import { HostError } from '../../host/errors/host-error';
import { collectBundle, openBundle, parseRedactionList, type BundleCheck, type BundleView } from '../../host/diagnostics';
import type { ClientInfo } from '../../host/router';
import { stringFlag, type Args } from '../args';
import { EXIT } from '../exit-codes';
import type { CliCommand } from '../command';

const USAGE = [
  'fwbench diag collect [--out FILE] [--redact serials,macs,hostnames|all] [--demo] [--json]',
  'fwbench diag open FILE [--json]      show the manifest summary and the file list',
  'fwbench diag verify FILE [--json]    check every file against the manifest and the audit chain',
  '',
  'A bundle is one .tar.gz: manifest.json (host, kernel taint, lockdown, CAP_SYS_RAWIO,',
  'redaction, and each file with its SHA-256), devices.json, fwctl/, console/, telemetry/,',
  'jobs.jsonl, audit.jsonl and audit.head. Bundles open on any machine, without hardware.',
  '',
  'Exit codes: 0 ok; 1 failure; 2 usage; 5 verification failed (a file changed, missing or',
  'added, the audit chain broken, or the bundle unsafe to open and refused).',
].join('\n');

function defaultOutPath(): string {
  const t = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return resolve(`fwbench-diag-${t}.tar.gz`);
}

/** `diag collect` on a given host: the CLI runs it on its own host, tests on theirs. */
export async function diagCollect(host: Host, args: Args, client?: ClientInfo): Promise<number> {
  const json = args.flags.has('json');
  const redactText = stringFlag(args, 'redact');
  const redact = redactText === undefined ? {} : parseRedactionList(redactText);
  const outPath = resolve(stringFlag(args, 'out') ?? defaultOutPath());
  const r = await collectBundle(host, {
    outPath,
    redact,
    client,
    onProgress: json ? undefined : (p) => process.stderr.write(`collecting: ${p.step} (${p.done}/${p.total})\n`),
  });
  if (json) console.log(JSON.stringify({ path: r.path, bytes: r.bytes, manifest: r.manifest }, null, 2));
  else {
    const red = r.manifest.redaction;
    const what = (['serials', 'macs', 'hostnames'] as const).filter((k) => red[k]);
    console.log(`bundle written: ${r.path} (${r.bytes} bytes, ${r.manifest.files.length + 1} files)`);
    console.log(
      what.length
        ? `redacted: ${what.join(', ')} (${red.distinct.serial} serial(s), ${red.distinct.mac} MAC(s), ${red.distinct.hostname} host name(s) replaced by tokens)`
        : 'not redacted: it holds serial numbers, MAC addresses and host names as they are (use --redact all to hide them)',
    );
    for (const n of r.manifest.notes) console.log(`note: ${n}`);
  }
  return EXIT.ok;
}

function summary(view: BundleView, check: BundleCheck): string {
  const m = view.manifest;
  const h = m.host;
  const red = (['serials', 'macs', 'hostnames'] as const).filter((k) => m.redaction[k]);
  const lines = [
    `bundle:    ${view.path}`,
    `created:   ${m.createdAt} by ${m.operator} with fwbench ${m.app.version}`,
    `host:      ${h.hostname} (${h.kernel})`,
    `kernel:    lockdown ${h.lockdown}; ${h.taint.value === null ? 'taint unknown' : h.taint.value === 0 ? 'not tainted' : `tainted ${h.taint.letters} (${h.taint.value})`}${h.taint.fwctl ? ' — fwctl debug writes happened (J)' : ''}`,
    `rawio:     CAP_SYS_RAWIO ${h.capSysRawio ? 'held' : 'not held'}; policy max scope ${h.policyMaxScope}`,
    `redaction: ${red.length ? red.join(', ') : 'none'}`,
    `integrity: ${check.ok ? `intact (${check.intact} files${check.audit ? `, audit chain of ${check.audit.records} records` : ''})` : `${check.problems.length} problem(s): run \`fwbench diag verify\``}`,
    '',
    'files:',
    ...m.files.map((f) => `  ${String(f.size).padStart(10)}  ${f.kind.padEnd(11)} ${f.path}`),
  ];
  for (const n of m.notes) lines.push(`note: ${n}`);
  return lines.join('\n');
}

async function withBundle<T>(args: Args, fn: (view: BundleView) => T): Promise<T> {
  const file = args._[2];
  if (!file) throw new HostError('bad-request', `Name the bundle file.\n\n${USAGE}`);
  const view = await openBundle(resolve(file));
  try {
    return fn(view);
  } finally {
    view.close();
  }
}

async function diagOpen(args: Args): Promise<number> {
  return withBundle(args, (view) => {
    const check = view.verify();
    if (args.flags.has('json')) console.log(JSON.stringify({ manifest: view.manifest, files: view.files, integrity: { ok: check.ok, problems: check.problems } }, null, 2));
    else console.log(summary(view, check));
    return EXIT.ok;
  });
}

async function diagVerify(args: Args): Promise<number> {
  const json = args.flags.has('json');
  try {
    return await withBundle(args, (view) => {
      const check = view.verify();
      if (json) console.log(JSON.stringify({ ok: check.ok, intact: check.intact, problems: check.problems, auditRecords: check.audit?.records ?? null }, null, 2));
      else if (check.ok) console.log(`bundle intact: ${check.intact} files match the manifest${check.audit ? `; audit chain of ${check.audit.records} records intact` : ''}`);
      else {
        console.log(`bundle TAMPERED: ${check.problems.length} problem(s)`);
        for (const p of check.problems) console.log(`  ${p.file}: ${p.problem}`);
      }
      return check.ok ? EXIT.ok : EXIT.verifyFailed;
    });
  } catch (e) {
    const err = HostError.from(e);
    if (!json || err.code !== 'verification-failed') throw e;
    console.log(JSON.stringify({ ok: false, refused: err.message, detail: err.detail }, null, 2));
    return EXIT.verifyFailed;
  }
}

export const diagCommand: CliCommand = {
  name: 'diag',
  summary: 'collect, open and verify offline diagnostics bundles',
  usage: USAGE,
  valued: ['out', 'redact'],
  async run(args) {
    const sub = args._[1];
    if (sub === 'collect') {
      const host = await Host.create({ demoBoards: args.flags.has('demo') ? 1 : 0 });
      try {
        return await diagCollect(host, args, host.newClient('cli'));
      } finally {
        await host.close();
      }
    }
    if (sub === 'open') return diagOpen(args);
    if (sub === 'verify') return diagVerify(args);
    throw new HostError('bad-request', `Usage:\n${USAGE}`);
  },
};
