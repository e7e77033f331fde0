import { spawn, spawnSync } from 'node:child_process';

/** Opens the URL in the desktop's browser; prints what to do when there is none. */
export function openInBrowser(url: string): boolean {
  const candidates = ['xdg-open', 'chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'firefox'];
  for (const cmd of candidates) {
    if (spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status !== 0) continue;
    const child = spawn(cmd, [url], { detached: true, stdio: 'ignore' });
    child.on('error', () => {});
    child.unref();
    return true;
  }
  console.error('No browser found on PATH (xdg-open, chromium, google-chrome, firefox): open the URL above yourself.');
  return false;
}
