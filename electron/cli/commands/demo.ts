// `fwbench demo image`: writes an application image the simulated demo board
// accepts (MCUboot header, SHA-256 TLV), so the shipped bring-up recipe and the
// flash commands have something to send without a toolchain or imgtool.
import { writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { HostError } from '../../host/errors/host-error';
import { demoAppImage, checkImage } from '../../host/demo/board/firmware-slots';
import { intFlag, stringFlag } from '../args';
import { EXIT } from '../exit-codes';
import type { CliCommand } from '../command';

export const demoCommand: CliCommand = {
  name: 'demo',
  summary: 'things for the simulated demo board: an application image to flash',
  usage: [
    'fwbench demo image --version X.Y.Z+B --out FILE [--size KiB] [--json]',
    '',
    'Writes an MCUboot application image for the demo board (demo:DEMO-1001, ...): a header',
    'with version X.Y.Z+B and a SHA-256 TLV, which the board checks before it boots the image.',
    'The same version always gives the same bytes. --size is the body size (default 16 KiB).',
    'examples/recipes/demo-bringup.json flashes the one made by:',
    '  fwbench demo image --version 2.1.0+7 --out examples/recipes/app-2.1.0.bin',
  ].join('\n'),
  valued: ['version', 'out', 'size'],
  async run(args) {
    if (args._[1] !== 'image') throw new HostError('bad-request', 'Usage: fwbench demo image --version X.Y.Z+B --out FILE (see `fwbench help demo`).');
    const version = stringFlag(args, 'version');
    const out = stringFlag(args, 'out');
    if (!version || !/^\d+\.\d+\.\d+(\+\d+)?$/.test(version)) throw new HostError('bad-request', '--version takes the image version as X.Y.Z+B, for example 2.1.0+7.');
    if (!out) throw new HostError('bad-request', 'Name the file to write with --out FILE.');
    const kib = intFlag(args, 'size', 16, 1, 4000);
    const image = demoAppImage(version, kib * 1024);
    const check = checkImage(image);
    if (!check.ok) throw new HostError('verification-failed', `The image built is not one the demo board accepts: ${check.reason}.`);
    writeFileSync(out, image);
    const sha256 = createHash('sha256').update(image).digest('hex');
    if (args.flags.has('json')) console.log(JSON.stringify({ file: out, version: check.version, size: image.length, sha256 }, null, 2));
    else console.log(`${out}: demo board image ${check.version}, ${image.length} bytes, sha256 ${sha256}`);
    return EXIT.ok;
  },
};
