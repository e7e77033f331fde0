// The smp.* catalog commands and firmware.update, bound to any adapter that can
// hand out an SMP client (the demo board, a plain SMP device). One place, so
// the scope rules (catalog/firmware.ts) hold the same on every device.
import { firmwareUpdate, smpConfirmScope, smpEcho, smpImageConfirm, smpImageErase, smpImageList, smpImageTest, smpParams, smpReset, smpSettingsRead, smpSettingsWrite, smpStatsList, smpStatsRead } from '../../contract/catalog/firmware';
import { firmwareUpload } from '../../contract/catalog/common';
import { bind, type BoundCommand } from '../adapters/device-adapter';
import { HostError } from '../errors/host-error';
import { activeSlot, runSmpUpdate, type SmpUpdateTarget } from './update-flow';
import { ImageCmd, OsCmd, SettingsCmd, SmpGroup, StatsCmd, type SmpCapabilities } from '../protocols/smp';

/** The SMP command each catalog command stands on; a command whose group or command the device lacks leaves the catalog. */
const NEEDS: Record<string, [group: number, id: number, op: 'read' | 'write']> = {
  'firmware.update': [SmpGroup.Image, ImageCmd.State, 'read'],
  'firmware.upload': [SmpGroup.Image, ImageCmd.State, 'read'],
  'smp.image.list': [SmpGroup.Image, ImageCmd.State, 'read'],
  // Test and confirm are one command (state write); a device may refuse one and not the other, so only the group decides.
  'smp.image.test': [SmpGroup.Image, ImageCmd.State, 'read'],
  'smp.image.confirm': [SmpGroup.Image, ImageCmd.State, 'read'],
  'smp.image.erase': [SmpGroup.Image, ImageCmd.Erase, 'write'],
  'smp.stats.list': [SmpGroup.Stats, StatsCmd.List, 'read'],
  'smp.stats.read': [SmpGroup.Stats, StatsCmd.Read, 'read'],
  'smp.settings.read': [SmpGroup.Settings, SettingsCmd.ReadWrite, 'read'],
  'smp.settings.write': [SmpGroup.Settings, SettingsCmd.ReadWrite, 'write'],
  'smp.echo': [SmpGroup.OS, OsCmd.Echo, 'write'],
  'smp.reset': [SmpGroup.OS, OsCmd.Reset, 'write'],
};

/** Whether the device offers what a catalog command needs (unknown counts as offered: it is probed on use). */
export function smpOffers(caps: SmpCapabilities, commandId: string): boolean {
  const need = NEEDS[commandId];
  return !need || caps.offers(need[0], need[1], need[2]);
}

export function smpCommandBindings(target: SmpUpdateTarget): BoundCommand[] {
  const smp = () => target.client();
  return allBindings(target, smp).filter((b) => smpOffers(smp().capabilities, b.decl.id));
}

function allBindings(target: SmpUpdateTarget, smp: () => ReturnType<SmpUpdateTarget['client']>): BoundCommand[] {
  return [
    bind(firmwareUpdate, async (p, ctx) => runSmpUpdate(target, p, ctx.job!)),
    // The panel's generic command: the same safe flow, confirmed, upgrades only.
    bind(firmwareUpload, async (p, ctx) => runSmpUpdate(target, { name: p.name, data: p.data, activate: p.activate ?? true }, ctx.job!)),
    bind(smpImageList, async (_p, ctx) => ({ images: await smp().imageList({ signal: ctx.signal }) })),
    bind(smpImageTest, async (p, ctx) => ({ images: await smp().imageTest(p.hash.toLowerCase(), { signal: ctx.signal }) })),
    bind(
      smpImageConfirm,
      async (p, ctx) => {
        if (p.hash !== undefined) return { images: await smp().imageConfirm(p.hash.toLowerCase(), { signal: ctx.signal }) };
        const running = activeSlot(await smp().imageList({ signal: ctx.signal }));
        if (running.confirmed) return { alreadyConfirmed: true, images: await smp().imageList({ signal: ctx.signal }) };
        return { images: await smp().imageConfirm(undefined, { signal: ctx.signal }) };
      },
      { scopeFor: (p) => smpConfirmScope(p) },
    ),
    bind(smpImageErase, async (p, ctx) => {
      await smp().imageErase(p.slot, { signal: ctx.signal });
      return { erased: p.slot ?? 1 };
    }),
    bind(smpStatsList, async (_p, ctx) => ({ groups: await smp().statsList({ signal: ctx.signal }) })),
    bind(smpStatsRead, async (p, ctx) => ({ group: p.group, fields: await smp().statsRead(p.group, { signal: ctx.signal }) })),
    bind(smpSettingsRead, async (p, ctx) => {
      const val = await smp().settingsRead(p.name, undefined, { signal: ctx.signal });
      return { name: p.name, value: new TextDecoder().decode(val), hex: Buffer.from(val).toString('hex') };
    }),
    bind(smpSettingsWrite, async (p, ctx) => {
      await smp().settingsWrite(p.name, p.value, { signal: ctx.signal });
      if (p.save) await smp().settingsSave({ signal: ctx.signal });
      return { name: p.name, value: p.value, saved: p.save ?? false };
    }),
    bind(smpEcho, async (p, ctx) => {
      const r = await smp().echo(p.text, { signal: ctx.signal });
      if (r !== p.text) throw new HostError('protocol-error', 'The device echoed different text.', `sent ${JSON.stringify(p.text)}, got ${JSON.stringify(r)}`);
      return { text: r };
    }),
    bind(smpParams, async (_p, ctx) => smp().mcumgrParams({ signal: ctx.signal, refresh: true })),
    bind(smpReset, async (_p, ctx) => {
      await target.resetAndWait(ctx.signal);
      return target.refreshIdentity();
    }),
  ];
}
