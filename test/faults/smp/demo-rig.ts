// A demo board and its host adapter wired the way a session wires them, with a
// cable that can be pulled: cut() closes the host's end of the link; like the
// session manager, the rig then opens a new link and a new adapter for the
// same session id (the board keeps its flash). Over an in-process pipe (fast,
// for many runs) or a socat pty pair (the real serial path).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { DemoBoard, type DemoBoardOptions } from '../../../electron/host/demo/board/demo-board';
import { DemoBoardAdapter } from '../../../electron/host/adapters/demo-board-adapter';
import { ConsoleCapture } from '../../../electron/host/console/console-capture';
import { createPipePair } from '../../../electron/host/transports/pipe-pair';
import { SerialPortStream } from '../../../electron/host/transports/serial-port';
import type { ByteStream } from '../../../electron/host/transports/byte-stream';
import { JobEngine } from '../../../electron/host/jobs/job-engine';
import type { JobInfo } from '../../../electron/contract/jobs';
import type { HostEvent } from '../../../electron/contract/events';

export interface RigOptions extends Partial<DemoBoardOptions> {
  transport?: 'pipe' | 'pty';
  /** Time between the cut and the new link (the session manager polls every second; faster here). */
  reconnectDelayMs?: number;
}

export class DemoRig {
  board!: DemoBoard;
  adapter: DemoBoardAdapter | null = null;
  readonly sessionId = randomUUID();
  readonly jobs = new JobEngine(null);
  readonly events: HostEvent[] = [];
  identity: Record<string, string> = {};
  private hostLink: ByteStream | null = null;
  private boardLink: ByteStream | null = null;
  private proc: ChildProcess | null = null;
  private dir: string | null = null;
  private reconnecting: Promise<void> | null = null;
  private stopped = false;
  private readonly capture: ConsoleCapture;
  /** Bytes the board has received, over every link. */
  boardRx = 0;
  private cutAt = -1;
  private watching = new Set<ByteStream>();

  private constructor(private readonly o: RigOptions) {
    this.capture = new ConsoleCapture(this.sessionId, (e) => this.events.push(e));
  }

  static async start(o: RigOptions = {}): Promise<DemoRig> {
    const rig = new DemoRig(o);
    const opts: DemoBoardOptions = { serial: o.serial ?? 'DEMO-9001', bootMs: o.bootMs ?? 30, version: o.version, uartBytesPerSecond: o.uartBytesPerSecond };
    if ((o.transport ?? 'pipe') === 'pty') {
      rig.dir = mkdtempSync(join(tmpdir(), 'fwbench-rig-'));
      const b = join(rig.dir, 'board');
      const h = join(rig.dir, 'host');
      // ignoreeof: the host closing its end (the pulled cable) must not end the pair.
      rig.proc = spawn('socat', [`pty,raw,echo=0,link=${b},ignoreeof`, `pty,raw,echo=0,link=${h},ignoreeof`], { stdio: 'ignore' });
      const deadline = Date.now() + 5000;
      while (!(existsSync(b) && existsSync(h))) {
        if (Date.now() > deadline) throw new Error('socat did not create the pty pair');
        await new Promise((r) => setTimeout(r, 20));
      }
      rig.boardLink = await SerialPortStream.open(b, { baudRate: 115200 });
      rig.board = new DemoBoard(rig.boardLink, opts);
    }
    await rig.connect(opts);
    return rig;
  }

  get hostPath(): string | undefined {
    return this.dir ? join(this.dir, 'host') : undefined;
  }

  private watch(link: ByteStream): void {
    if (this.watching.has(link)) return;
    this.watching.add(link);
    link.onData((chunk) => {
      this.boardRx += chunk.length;
      if (this.cutAt >= 0 && this.boardRx >= this.cutAt) {
        this.cutAt = -1;
        void this.cut();
      }
    });
  }

  /** Pulls the cable once the board has received `n` more bytes (deterministic cut points). */
  cutAfterBoardReceives(n: number): void {
    this.cutAt = this.boardRx + n;
  }

  private async connect(opts?: DemoBoardOptions): Promise<void> {
    let link: ByteStream;
    if (this.proc) link = await SerialPortStream.open(join(this.dir!, 'host'), { baudRate: 115200 });
    else {
      const [hostSide, boardSide] = createPipePair();
      if (opts) this.board = new DemoBoard(boardSide, opts);
      else this.board.attach(boardSide);
      this.boardLink = boardSide;
      link = hostSide;
    }
    this.watch(this.boardLink!);
    this.hostLink = link;
    this.adapter = await DemoBoardAdapter.open(
      link,
      this.capture,
      {
        emit: (e) => this.events.push(e),
        lost: () => void this.reconnect(),
        identityChanged: (id) => (this.identity = { ...id }),
      },
      this.sessionId,
    );
    this.identity = this.adapter.identity();
  }

  private reconnect(): Promise<void> {
    this.adapter = null;
    if (this.stopped) return Promise.resolve();
    this.reconnecting = (async () => {
      await new Promise((r) => setTimeout(r, this.o.reconnectDelayMs ?? 20));
      for (let i = 0; i < 50 && !this.stopped; i++) {
        try {
          await this.connect();
          return;
        } catch {
          await new Promise((r) => setTimeout(r, 100));
        }
      }
    })();
    return this.reconnecting;
  }

  /** Pulls the cable: the host's end of the link closes now. */
  async cut(): Promise<void> {
    await this.hostLink?.close();
  }

  /** Waits until an adapter serves the session again. */
  async settled(): Promise<DemoBoardAdapter> {
    for (let i = 0; i < 200 && !this.adapter; i++) {
      await (this.reconnecting ?? new Promise((r) => setTimeout(r, 20)));
      if (!this.adapter) await new Promise((r) => setTimeout(r, 20));
    }
    if (!this.adapter) throw new Error('the rig did not re-acquire the board');
    return this.adapter;
  }

  /** Runs a non-job command on the current adapter. */
  async run<T = unknown>(commandId: string, params: unknown = {}): Promise<T> {
    const a = await this.settled();
    const b = a.commands().find((x) => x.decl.id === commandId);
    if (!b) throw new Error(`no command ${commandId}`);
    return (await b.run(b.decl.params.parse(params), { sessionId: this.sessionId, signal: new AbortController().signal })) as T;
  }

  /** Starts a job command; returns the job's id and a promise of its end. */
  async startJob(commandId: string, params: unknown): Promise<{ id: string; done: Promise<JobInfo> }> {
    const a = await this.settled();
    const b = a.commands().find((x) => x.decl.id === commandId)!;
    const parsed = b.decl.params.parse(params);
    let resolve!: (j: JobInfo) => void;
    const done = new Promise<JobInfo>((r) => (resolve = r));
    let id = '';
    const off = this.jobs.onUpdate((j) => {
      if (j.id === id && j.state !== 'running') {
        off();
        resolve(j);
      }
    });
    const info = this.jobs.start({ sessionId: this.sessionId, deviceId: 'demo:rig', commandId, title: commandId, steps: [] }, (h) =>
      b.run(parsed, { sessionId: this.sessionId, job: h, signal: h.signal }),
    );
    id = info.id;
    return { id, done };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.adapter?.close().catch(() => {});
    this.board?.stop();
    await this.boardLink?.close().catch(() => {});
    this.proc?.kill();
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }
}

